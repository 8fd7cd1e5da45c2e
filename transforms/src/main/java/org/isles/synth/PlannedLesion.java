package org.isles.synth;

/**
 * A lesion the generator placed: its centre in world mm and the volume it was drawn with. The
 * mask is the ground truth; a planned lesion can end up smaller (clipped at the brain's edge),
 * merged with a neighbour, or, below a voxel, absent.
 */
public record PlannedLesion(double x, double y, double z, double volumeMl) {}
