package dev.cryo.images;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageStoreTest {
  @TempDir Path tmp;

  @Test
  void publishedCheckpointRecordsSizeAndChecksumOfEveryFile() throws Exception {
    ImageStore store = ImageStore.open(tmp.resolve("store"));
    StoredCheckpoint cp = TestCheckpoints.publishWithImages(store, "first");

    assertThat(cp.manifest().files())
        .extracting(Manifest.FileEntry::path)
        .containsExactly("dump.log", "images/core-1234.img", "images/pages-1.img");
    assertThat(cp.manifest().files()).allSatisfy(f -> assertThat(f.crc32c()).hasSize(8));
    assertThat(cp.manifest().imageBytes()).isEqualTo(8 + 4 + 3);
    assertThat(store.resolve("first").manifest()).isEqualTo(cp.manifest());
    assertThat(store.resolve(cp.id()).manifest()).isEqualTo(cp.manifest());
    assertThat(store.verify(cp)).isEmpty();
  }

  @Test
  void filesWrittenAfterPrepareAreStillRecordedAtPublish() throws Exception {
    ImageStore store = ImageStore.open(tmp);
    StagedCheckpoint staged = store.stage("late");
    Files.writeString(staged.imagesDir().resolve("pages-1.img"), "pages");
    store.prepare(staged);
    Files.writeString(staged.imagesDir().resolve("stats-dump"), "stats");

    StoredCheckpoint cp = store.publish(staged, TestCheckpoints.draft());

    assertThat(cp.manifest().files())
        .extracting(Manifest.FileEntry::path)
        .containsExactly("images/pages-1.img", "images/stats-dump");
    assertThat(store.verify(cp)).isEmpty();
  }

  @Test
  void everyDirectoryIsPrivateToItsOwnerAndEveryFileToo() throws Exception {
    ImageStore store = ImageStore.open(tmp.resolve("a/b/store"));
    StagedCheckpoint staged = store.stage(null);
    Path img = staged.imagesDir().resolve("pages-1.img");
    Files.writeString(img, "secret");
    Files.setPosixFilePermissions(img, PosixFilePermissions.fromString("rw-r--r--"));
    StoredCheckpoint cp = store.publish(staged, TestCheckpoints.draft());

    try (Stream<Path> all = Files.walk(store.root())) {
      for (Path p : all.collect(Collectors.toList())) {
        String mode = PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
        assertThat(mode)
            .as("mode of %s", p)
            .isEqualTo(Files.isDirectory(p) ? "rwx------" : "rw-------");
      }
    }
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(tmp.resolve("a"))))
        .as("a parent the store created")
        .isEqualTo("rwx------");
    assertThat(cp.manifest().name()).isNull();
  }

  @Test
  void aStoreInsideAnExistingSharedDirectoryLeavesItsModeAloneAndKeepsItsOwnDirectoriesPrivate()
      throws Exception {
    Path shared = Files.createDirectory(tmp.resolve("shared"));
    Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.createDirectories(shared.resolve("checkpoints"));
    Files.setPosixFilePermissions(
        shared.resolve("checkpoints"), PosixFilePermissions.fromString("rwxrwxrwx"));

    ImageStore.open(shared);

    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(shared)))
        .isEqualTo("rwxr-xr-x");
    for (String own : List.of("checkpoints", ".staging", ".trash", "logs")) {
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(shared.resolve(own))))
          .as("mode of %s", own)
          .isEqualTo("rwx------");
    }
  }

  @Test
  void aStagedCheckpointIsInvisibleUntilPublished() throws Exception {
    ImageStore store = ImageStore.open(tmp);
    StagedCheckpoint staged = store.stage("pending");
    Files.writeString(staged.imagesDir().resolve("pages-1.img"), "half");

    assertThat(store.list()).isEmpty();
    assertThatThrownBy(() -> store.resolve("pending"))
        .isInstanceOf(CheckpointNotFoundException.class);
    assertThatThrownBy(() -> store.resolve(staged.id()))
        .isInstanceOf(CheckpointNotFoundException.class);
  }

  @Test
  void stagingLeftByAWriterThatDiedIsClearedAndStagingOfALiveOneIsKept() throws Exception {
    ImageStore store = ImageStore.open(tmp);
    Path dead = Files.createDirectories(tmp.resolve(".staging/20260101-000000-abcdef.999999999"));
    Path alive = Files.createDirectories(tmp.resolve(".staging/20260101-000000-fedcba.1"));

    store.stage("x");

    assertThat(dead).doesNotExist();
    assertThat(alive).exists();
  }

  @Test
  void checkpointsThatRecordedSha256AreStillVerifiedWithIt() throws Exception {
    ImageStore store = ImageStore.open(tmp);
    StoredCheckpoint cp = TestCheckpoints.publishWithImages(store, "older");
    Path manifest = cp.directory().resolve("manifest.json");
    String text = Files.readString(manifest);
    for (Manifest.FileEntry entry : cp.manifest().files()) {
      text =
          text.replaceAll(
              "\"crc32c\"\\s*:\\s*\"" + entry.crc32c() + "\"",
              "\"sha256\":\"" + Checksums.sha256(cp.directory().resolve(entry.path())) + "\"");
    }
    Files.writeString(manifest, text);
    StoredCheckpoint older = store.resolve("older");
    assertThat(older.manifest().files())
        .as("the rewritten manifest has SHA-256 only")
        .allSatisfy(f -> assertThat(f.crc32c()).isNull());
    assertThat(store.verify(older)).as("an intact checkpoint of the older format").isEmpty();

    Manifest.FileEntry first = older.manifest().files().get(0);
    Path file = older.directory().resolve(first.path());
    byte[] bytes = Files.readAllBytes(file);
    bytes[0] ^= 0x01;
    Files.write(file, bytes);
    assertThat(store.verify(older)).containsExactly(first.path() + " does not match its SHA-256");
  }

  @Test
  void compressedPagesAreVerifiedAsStoredAndExpandToTheOriginalBytesForARestore() throws Exception {
    ImageStore store = ImageStore.open(tmp);
    StagedCheckpoint staged = store.stage("zipped");
    byte[] pages = new byte[3 << 20];
    for (int i = 0; i < pages.length; i++) {
      pages[i] = (byte) (i % 7 == 0 ? i : 0);
    }
    Files.write(staged.imagesDir().resolve("pages-1.img"), pages);
    Files.writeString(staged.imagesDir().resolve("core-1234.img"), "core");
    PageCompression.Sizes sizes = store.compressPages(staged);
    StoredCheckpoint cp = store.publish(staged, TestCheckpoints.draft());

    assertThat(sizes.raw()).isEqualTo(pages.length);
    assertThat(sizes.compressed()).as("zero-heavy pages compress").isLessThan(pages.length / 4);
    assertThat(cp.compressed()).isTrue();
    assertThat(store.verify(cp)).isEmpty();
    assertThat(Files.getPosixFilePermissions(cp.imagesDir().resolve("pages-1.img.zst")))
        .isEqualTo(PosixFilePermissions.fromString("rw-------"));

    Path restorable = store.restorable(cp);
    assertThat(Files.readAllBytes(restorable.resolve("pages-1.img"))).isEqualTo(pages);
    assertThat(Files.readString(restorable.resolve("core-1234.img"))).isEqualTo("core");
    store.release(cp, restorable);
    assertThat(restorable.getParent()).as("the expanded copy is deleted").doesNotExist();
    assertThat(store.verify(cp)).as("the stored checkpoint is untouched").isEmpty();
  }

  @Test
  void aCheckpointOfANewerManifestFormatIsRefusedWithTheReason() throws Exception {
    ImageStore store = ImageStore.open(tmp);
    StoredCheckpoint cp = TestCheckpoints.publishWithImages(store, "future");
    Path manifest = cp.directory().resolve("manifest.json");
    Files.writeString(
        manifest,
        Files.readString(manifest)
            .replaceFirst("\"format\"\\s*:\\s*\\d+", "\"format\" : " + (Manifest.FORMAT + 1)));

    assertThat(store.verify(store.resolve("future")))
        .singleElement()
        .asString()
        .contains("written by a newer cryo")
        .contains("manifest format " + (Manifest.FORMAT + 1));
  }

  @Test
  void aLazyRestoresTwoChecksSplitThePageContentsFromEverythingElse() throws Exception {
    ImageStore store = ImageStore.open(tmp);
    StoredCheckpoint cp = TestCheckpoints.publishWithImages(store, "split");
    Path pages = cp.imagesDir().resolve("pages-1.img");
    byte[] bytes = Files.readAllBytes(pages);
    bytes[0] ^= 0x01;
    Files.write(pages, bytes);

    assertThat(store.verifyAllButPageContents(cp))
        .as("sizes still match; contents are not read")
        .isEmpty();
    assertThat(store.verifyPageContents(cp))
        .containsExactly("images/pages-1.img does not match its CRC32C");

    Files.writeString(cp.imagesDir().resolve("core-1234.img"), "CORE");
    assertThat(store.verifyAllButPageContents(cp))
        .containsExactly("images/core-1234.img does not match its CRC32C");
    Files.delete(pages);
    assertThat(store.verifyAllButPageContents(cp)).contains("images/pages-1.img is missing");
  }

  @Test
  void verifyFindsASingleFlippedByteInAnyFile() throws Exception {
    ImageStore store = ImageStore.open(tmp);
    StoredCheckpoint cp = TestCheckpoints.publishWithImages(store, "c");
    for (Manifest.FileEntry entry : cp.manifest().files()) {
      Path file = cp.directory().resolve(entry.path());
      byte[] original = Files.readAllBytes(file);
      byte[] flipped = original.clone();
      flipped[flipped.length / 2] ^= 0x01;
      Files.write(file, flipped);

      assertThat(store.verify(cp))
          .as("after flipping a byte of %s", entry.path())
          .containsExactly(entry.path() + " does not match its CRC32C");

      Files.write(file, original);
    }
    assertThat(store.verify(cp)).isEmpty();
  }

  @Test
  void verifyFindsMissingTruncatedAndForeignFiles() throws Exception {
    ImageStore store = ImageStore.open(tmp);
    StoredCheckpoint cp = TestCheckpoints.publishWithImages(store, "c");
    Files.delete(cp.imagesDir().resolve("core-1234.img"));
    Files.write(cp.imagesDir().resolve("pages-1.img"), new byte[] {1, 2});
    Files.writeString(cp.imagesDir().resolve("extra.img"), "x");

    assertThat(store.verify(cp))
        .containsExactlyInAnyOrder(
            "images/core-1234.img is missing",
            "images/pages-1.img has 2 bytes instead of 8",
            "images/extra.img is not part of the checkpoint");
    assertThatThrownBy(() -> store.requireIntact(cp))
        .isInstanceOf(CorruptCheckpointException.class)
        .hasMessageContaining("checkpoint c is corrupt or incomplete")
        .hasMessageContaining("left in place");
    assertThat(cp.directory()).as("a corrupt checkpoint is never removed").exists();
  }

  @Test
  void aCheckpointWithoutItsManifestIsReportedCorruptNotMissing() throws Exception {
    ImageStore store = ImageStore.open(tmp);
    StoredCheckpoint cp = TestCheckpoints.publishWithImages(store, "c");
    Files.delete(cp.directory().resolve("manifest.json"));

    assertThatThrownBy(() -> store.resolve(cp.id())).isInstanceOf(CorruptCheckpointException.class);
  }

  @Test
  void namesAreUniqueAndValidated() throws Exception {
    ImageStore store = ImageStore.open(tmp);
    TestCheckpoints.publishWithImages(store, "web");

    assertThatThrownBy(() -> store.stage("web"))
        .isInstanceOf(NameTakenException.class)
        .hasMessageContaining("already exists");
    assertThatThrownBy(() -> store.stage("../etc")).hasMessageContaining("invalid checkpoint name");
    assertThatThrownBy(() -> store.stage("20260101-000000-abcdef"))
        .hasMessageContaining("invalid checkpoint name");
  }

  @Test
  void aStagedCheckpointCanBePublishedUnderItsIdAloneWhenItsNameWasTakenMeanwhile()
      throws Exception {
    ImageStore store = ImageStore.open(tmp);
    StagedCheckpoint staged = store.stage("web");
    Files.writeString(staged.imagesDir().resolve("pages-1.img"), "pages");
    TestCheckpoints.publishWithImages(store, "web");

    assertThatThrownBy(() -> store.publish(staged, TestCheckpoints.draft()))
        .isInstanceOf(NameTakenException.class);
    StoredCheckpoint unnamed = store.publish(staged.withoutName(), TestCheckpoints.draft());

    assertThat(unnamed.manifest().name()).isNull();
    assertThat(store.resolve(staged.id()).manifest().files())
        .extracting(Manifest.FileEntry::path)
        .containsExactly("images/pages-1.img");
  }

  @Test
  void anUnpublishedCheckpointSetAsideIsNeverClearedAsAbandoned() throws Exception {
    ImageStore store = ImageStore.open(tmp);
    StagedCheckpoint staged = store.stage(null);
    Files.writeString(staged.imagesDir().resolve("pages-1.img"), "only copy");

    Path kept = store.keepUnpublished(staged);
    store.stage(null);

    assertThat(kept.resolve("images/pages-1.img")).hasContent("only copy");
    assertThat(store.list()).isEmpty();
    assertThat(store.unpublished()).containsExactly(kept);
  }

  @Test
  void aFailedCheckpointsLogOutlivesItsStagingDirectory() throws Exception {
    ImageStore store = ImageStore.open(tmp);
    StagedCheckpoint staged = store.stage(null);
    Files.writeString(staged.directory().resolve("dump.log"), "Error (x): it broke");

    Path log = store.keepLog(staged, "dump.log").orElseThrow();
    staged.discard();

    assertThat(log).hasContent("Error (x): it broke").startsWith(store.logsDir());
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(log)))
        .isEqualTo("rw-------");
  }

  @Test
  void deleteRemovesOnlyThatCheckpoint() throws Exception {
    ImageStore store = ImageStore.open(tmp);
    StoredCheckpoint a = TestCheckpoints.publishWithImages(store, "a");
    StoredCheckpoint b = TestCheckpoints.publishWithImages(store, "b");

    store.delete(a);

    assertThat(store.list()).extracting(StoredCheckpoint::label).containsExactly("b");
    assertThat(a.directory()).doesNotExist();
    assertThat(store.verify(b)).isEmpty();
  }

  @Test
  void unknownReferenceIsReportedWithAHint() throws Exception {
    ImageStore store = ImageStore.open(tmp);
    assertThatThrownBy(() -> store.resolve("nope"))
        .isInstanceOf(CheckpointNotFoundException.class)
        .hasMessage("no checkpoint named or with id 'nope'; 'cryo list' shows those there are");
  }

  @Test
  void aStoreThatCannotBeCreatedIsReportedWithWhatToDo() throws IOException {
    Path file = Files.writeString(tmp.resolve("plain-file"), "x");
    assertThatThrownBy(() -> ImageStore.open(file.resolve("store")))
        .isInstanceOf(ImageStoreUnusableException.class)
        .hasMessageContaining("cannot write the image store at " + file.resolve("store"))
        .hasMessageEndingWith("; fix its permissions or choose another directory");
  }

  @Test
  void defaultRootFollowsXdgForUsersAndVarLibForRoot() {
    Path home = Path.of("/home/ann");
    assertThat(ImageStore.defaultRoot(Map.of(), true, home)).isEqualTo(Path.of("/var/lib/cryo"));
    assertThat(ImageStore.defaultRoot(Map.of(), false, home))
        .isEqualTo(Path.of("/home/ann/.local/share/cryo"));
    assertThat(ImageStore.defaultRoot(Map.of("XDG_DATA_HOME", "/data"), false, home))
        .isEqualTo(Path.of("/data/cryo"));
    assertThat(ImageStore.defaultRoot(Map.of("XDG_DATA_HOME", "relative"), false, home))
        .as("a relative XDG_DATA_HOME is ignored, as the XDG spec says")
        .isEqualTo(Path.of("/home/ann/.local/share/cryo"));
  }
}
