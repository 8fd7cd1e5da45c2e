package org.isles.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.isles.nifti.Nifti;
import org.isles.nifti.NiftiDatatype;
import org.isles.nifti.NiftiHeader;
import org.isles.nifti.NiftiSummary;
import org.isles.nifti.NonFiniteValues;
import org.isles.volume.Volume;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code isles nifti info|convert}: look into and convert NIfTI files with the project's codec. */
@Command(
    name = "nifti",
    mixinStandardHelpOptions = true,
    description = "Inspect and convert NIfTI-1/NIfTI-2 images (.nii, .nii.gz).",
    subcommands = {NiftiCommand.Info.class, NiftiCommand.Convert.class})
public final class NiftiCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "choose a subcommand: info or convert");
  }

  @Command(name = "info", mixinStandardHelpOptions = true,
      description = "Print shape, type, geometry, scaling and min/max/mean of the scaled data as JSON.")
  static final class Info implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "FILE", description = "A .nii or .nii.gz image.")
    Path file;

    @Override
    public Integer call() {
      spec.commandLine().getOut().println(NiftiSummary.of(Nifti.read(file)).toJson());
      return 0;
    }
  }

  @Command(name = "convert", mixinStandardHelpOptions = true,
      description = "Rewrite a 3-D image as NIfTI-1 (.nii or .nii.gz by OUT's name), optionally as another voxel type.")
  static final class Convert implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "IN", description = "A 3-D .nii or .nii.gz image.")
    Path input;

    @Parameters(index = "1", paramLabel = "OUT", description = "The .nii or .nii.gz file to write.")
    Path output;

    @Option(names = "--dtype", converter = DatatypeConverter.class, paramLabel = "TYPE",
        description = "Voxel type to store, e.g. float32, int16, uint8 (default: IN's type). Integer types "
            + "get scl_slope/scl_inter when the values are not integers in range.")
    NiftiDatatype datatype;

    @Option(names = "--allow-lossy",
        description = "Store NaN as 0 and infinities as the range ends of an integer TYPE, which cannot hold them "
            + "(refused without this option).")
    boolean allowLossy;

    @Override
    public Integer call() {
      OptionChecks.of(spec).outputFile("OUT", output);
      NiftiHeader header = Nifti.readHeader(input);
      NiftiDatatype type = datatype != null ? datatype : header.datatype();
      Volume volume = Nifti.readVolume(input);
      Nifti.write(output, volume, type, allowLossy ? NonFiniteValues.CONVERT : NonFiniteValues.REFUSE);
      spec.commandLine().getOut().println("wrote " + output + " (" + type.displayName() + ", "
          + volume.grid().nx() + "x" + volume.grid().ny() + "x" + volume.grid().nz() + ")");
      return 0;
    }
  }

  static final class DatatypeConverter implements CommandLine.ITypeConverter<NiftiDatatype> {
    @Override
    public NiftiDatatype convert(String name) {
      return NiftiDatatype.fromName(name);
    }
  }
}
