package org.isles.cli;

import java.util.Locale;
import org.isles.model.inference.TestTimeAugmentation;
import picocli.CommandLine.Option;

/**
 * The inference flags of isles predict, isles run and isles demo (the place for more flags they
 * share). Each command gives its own default (predict none, run and demo flip) by the value it
 * constructs this with, which picocli takes as the option's default and shows as ${DEFAULT-VALUE}.
 */
final class InferenceMixin {
  @Option(names = "--tta",
      description = "Test-time mirroring: none, flip (left-right: the voxel axis closest to world x) or full (8 flips) (default: ${DEFAULT-VALUE}).")
  String tta;

  InferenceMixin(TestTimeAugmentation defaultTta) {
    this.tta = name(defaultTta);
  }

  TestTimeAugmentation augmentation() {
    return augmentation(tta);
  }

  /** The --tta choice by name, the one place that knows the names. */
  static TestTimeAugmentation augmentation(String name) {
    try {
      return TestTimeAugmentation.valueOf(name.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--tta must be none, flip or full, got '" + name + "'");
    }
  }

  static String name(TestTimeAugmentation tta) {
    return tta.name().toLowerCase(Locale.ROOT);
  }
}
