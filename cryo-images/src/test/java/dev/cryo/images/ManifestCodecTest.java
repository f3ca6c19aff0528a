package dev.cryo.images;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ManifestCodecTest {
  @TempDir Path tmp;

  @Test
  void participantsKeepTheJsonNameEarlierCheckpointsWereWrittenWith() throws Exception {
    Manifest manifest =
        new Manifest(
            Manifest.FORMAT,
            "20260101-000000-000000",
            "web",
            "2026-01-01T00:00:00Z",
            new Manifest.Host("host", "6.18.0", "4.2.1", List.of()),
            new Manifest.Source(
                7,
                List.of(7),
                List.of("java"),
                false,
                true,
                false,
                List.of(new Manifest.Participant(7, "/run/7.cryo.sock", "20260101-000000-000000")),
                false,
                null),
            0,
            List.of());

    String json = ManifestCodec.toJson(manifest);
    Files.writeString(tmp.resolve(StoreLayout.MANIFEST), json);

    assertThat(json)
        .as("the manifest's JSON names the participants as it always has")
        .contains("\"coordinated\"")
        .doesNotContain("\"participants\"");
    assertThat(ManifestCodec.read(tmp)).as("the manifest read back").contains(manifest);
  }
}
