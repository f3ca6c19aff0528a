package dev.cryo.images;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A checkpoint being written. It lives in the store's private staging area, invisible to
 * {@link ImageStore#list()} and {@link ImageStore#resolve(String)}, until
 * {@link ImageStore#publish(StagedCheckpoint, Manifest)} moves it into place in one rename.
 */
public final class StagedCheckpoint {
  private final String id;
  private final String name;
  private final Path directory;

  StagedCheckpoint(String id, String name, Path directory) {
    this.id = id;
    this.name = name;
    this.directory = directory;
  }

  public String id() {
    return id;
  }

  /** The requested name, or null. */
  public String name() {
    return name;
  }

  /** The staging directory; side files such as logs may go here. */
  public Path directory() {
    return directory;
  }

  /** Where the image files go. */
  public Path imagesDir() {
    return directory.resolve(ImageStore.IMAGES_DIR);
  }

  /** Throws the staged files away; nothing published is touched. */
  public void discard() throws IOException {
    PrivateFiles.deleteTree(directory);
  }
}
