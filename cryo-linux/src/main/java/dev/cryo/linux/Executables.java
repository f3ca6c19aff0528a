package dev.cryo.linux;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Finds a program as the shell would: the first executable file of that name in a PATH-style list
 * of directories. CRIU, the nft tool and the commands {@code cryo run} starts are all found so.
 */
public final class Executables {
  private Executables() {}

  /**
   * The first executable file named {@code name} in {@code searchPath} (directories separated by
   * ':').
   */
  public static Optional<Path> find(String name, String searchPath) {
    if (searchPath == null) {
      return Optional.empty();
    }
    for (String dir : searchPath.split(File.pathSeparator)) {
      if (!dir.isEmpty()) {
        Path candidate = Path.of(dir, name);
        if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
          return Optional.of(candidate);
        }
      }
    }
    return Optional.empty();
  }
}
