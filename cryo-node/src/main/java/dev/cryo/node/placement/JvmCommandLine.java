package dev.cryo.node.placement;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The files a {@code java} command line makes the JVM open: the {@code -jar} jar, the class path's
 * files and the agents' jars. Reads the launcher's options up to the main class or jar; what
 * follows is the program's own arguments.
 */
final class JvmCommandLine {
  /** Launcher options whose value is the next argument, and that name no file Cryo tracks. */
  private static final Set<String> OPTIONS_WITH_VALUE =
      Set.of(
          "-p",
          "--module-path",
          "--upgrade-module-path",
          "--add-modules",
          "--enable-native-access",
          "--add-reads",
          "--add-exports",
          "--add-opens",
          "--limit-modules",
          "--patch-module",
          "--source");

  private static final Set<String> CLASS_PATH = Set.of("-cp", "-classpath", "--class-path");

  private JvmCommandLine() {}

  /**
   * The files {@code arguments} (the command line after {@code java}) name, resolved against {@code
   * cwd}; {@code CLASSPATH} in {@code env} counts when no class path or jar is given.
   */
  static List<Path> files(List<String> arguments, Path cwd, Map<String, String> env) {
    List<Path> files = new ArrayList<>();
    boolean classPathGiven = false;
    for (int i = 0; i < arguments.size(); i++) {
      String arg = arguments.get(i);
      String next = i + 1 < arguments.size() ? arguments.get(i + 1) : null;
      if (arg.equals("-jar")) {
        if (next != null) {
          addFile(files, cwd.resolve(next));
        }
        return files; // the rest are the program's arguments
      } else if (CLASS_PATH.contains(arg)) {
        classPathGiven = true;
        if (next != null) {
          addClassPath(files, next, cwd);
          i++;
        }
      } else if (arg.startsWith("--class-path=")) {
        classPathGiven = true;
        addClassPath(files, arg.substring("--class-path=".length()), cwd);
      } else if (arg.startsWith("-javaagent:")) {
        String jar = arg.substring("-javaagent:".length());
        int options = jar.indexOf('=');
        addFile(files, cwd.resolve(options < 0 ? jar : jar.substring(0, options)));
      } else if (OPTIONS_WITH_VALUE.contains(arg)) {
        i++;
      } else if (arg.equals("-m") || arg.equals("--module") || !arg.startsWith("-")) {
        break; // the main module or class: the rest are the program's arguments
      }
    }
    if (!classPathGiven && env.get("CLASSPATH") != null) {
      addClassPath(files, env.get("CLASSPATH"), cwd);
    }
    return files;
  }

  private static void addClassPath(List<Path> files, String classPath, Path cwd) {
    for (String entry : classPath.split(":")) {
      if (entry.isEmpty()) {
        continue;
      }
      if (entry.equals("*") || entry.endsWith("/*")) {
        addJarsIn(files, cwd.resolve(entry.substring(0, entry.length() - 1)));
      } else {
        addFile(files, cwd.resolve(entry));
      }
    }
  }

  /** A class path's {@code DIR/*}: the JVM loads every jar in DIR. */
  private static void addJarsIn(List<Path> files, Path dir) {
    try (DirectoryStream<Path> jars = Files.newDirectoryStream(dir, "*.{jar,JAR}")) {
      List<Path> sorted = new ArrayList<>();
      jars.forEach(sorted::add);
      sorted.stream().sorted().forEach(jar -> addFile(files, jar));
    } catch (IOException e) {
      // no such directory: the JVM loads nothing from it either
    }
  }

  /** Only files count: a class path's directories are read class by class, never mapped. */
  private static void addFile(List<Path> files, Path file) {
    if (Files.isRegularFile(file)) {
      files.add(file);
    }
  }
}
