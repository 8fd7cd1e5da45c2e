/**
 * Synthetic ISLES 2022-like data, so demos and tests run without the real dataset.
 *
 * <p>Everything is modelled in world space (mm) and only then sampled on each scan's grid:
 * {@link org.isles.synth.HeadPhantom} (brain, tissues, coil shading), {@link org.isles.synth.Lesion}
 * with its {@link org.isles.synth.LesionAppearance} (acute infarcts, unlabelled mimics), and
 * {@link org.isles.synth.MriContrast} (DWI from {@code S0 exp(-b ADC)}, ADC, FLAIR). Because the
 * DWI and FLAIR grids sample the same world-space functions, a lesion sits at the same world
 * position in every image whatever the grids' orientation or resolution. {@link
 * org.isles.synth.ScanGeometry} draws those grids, {@link org.isles.synth.CaseRenderer} samples
 * them, and {@link org.isles.synth.SyntheticDataset} ties a case together and writes it in the
 * BIDS layout.
 */
package org.isles.synth;
