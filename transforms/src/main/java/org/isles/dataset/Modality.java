package org.isles.dataset;

/** The images of one ISLES 2022 case, each named by its BIDS file-name suffix. */
public enum Modality {
  DWI("DWI", "dwi", true),
  ADC("ADC", "adc", true),
  FLAIR("FLAIR", "FLAIR", false),
  MASK("mask", "msk", true);

  private final String label;
  private final String suffix;
  private final boolean required;

  Modality(String label, String suffix, boolean required) {
    this.label = label;
    this.suffix = suffix;
    this.required = required;
  }

  /** The name people use, e.g. "ADC" or "mask". */
  public String label() {
    return label;
  }

  /** The file-name suffix as ISLES 2022 spells it (without the underscore), e.g. "FLAIR". */
  public String suffix() {
    return suffix;
  }

  /** Whether a case without this image cannot be trained or scored. */
  public boolean required() {
    return required;
  }
}
