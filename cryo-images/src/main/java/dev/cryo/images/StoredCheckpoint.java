package dev.cryo.images;

import java.nio.file.Path;

/** A published checkpoint: its directory and its manifest. */
public record StoredCheckpoint(Path directory, Manifest manifest) {
  /** The directory that holds CRIU's image files. */
  public Path imagesDir() {
    return directory.resolve(StoreLayout.IMAGES_DIR);
  }

  public String id() {
    return manifest.id();
  }

  /** Whether its page images are stored compressed, so that a restore must expand them first. */
  public boolean compressed() {
    return PageCompression.hasCompressedPages(manifest);
  }

  /** The name, or the id when the checkpoint has no name: what to show a person. */
  public String label() {
    return manifest.name() != null ? manifest.name() : manifest.id();
  }
}
