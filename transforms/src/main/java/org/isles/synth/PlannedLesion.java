package org.isles.synth;

/**
 * A lesion the generator placed: its centre in world mm (on a DWI voxel centre, which is always
 * labelled) and the volume it was drawn with. The mask is the ground truth: a planned lesion can
 * end up smaller (clipped at the brain's edge) or merged with a neighbour; rarely, slices thicker
 * than a thin part of it show it as two pieces.
 */
public record PlannedLesion(double x, double y, double z, double volumeMl) {}
