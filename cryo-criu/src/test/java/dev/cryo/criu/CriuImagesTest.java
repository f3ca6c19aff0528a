package dev.cryo.criu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cryo.criu.images.InventoryEntry;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CriuImagesTest {
  private static final String RUN_ID = "137a5521-ec20-4491-bd3c-1f70d1aa0f1e";

  @TempDir Path dir;

  private void writeInventory(int magic, InventoryEntry entry) throws IOException {
    byte[] body = entry.toByteArray();
    ByteBuffer b = ByteBuffer.allocate(8 + body.length).order(ByteOrder.LITTLE_ENDIAN);
    b.putInt(magic).putInt(body.length).put(body);
    Files.write(dir.resolve("inventory.img"), b.array());
  }

  @Test
  void readsTheDumpRunIdFromTheInventory() throws IOException {
    writeInventory(
        CriuImages.INVENTORY_MAGIC,
        InventoryEntry.newBuilder().setImgVersion(2).setDumpCriuRunId(RUN_ID).build());
    assertThat(CriuImages.dumpRunId(dir)).contains(RUN_ID);
  }

  @Test
  void anInventoryWithoutARunIdHasNone() throws IOException {
    writeInventory(
        CriuImages.INVENTORY_MAGIC, InventoryEntry.newBuilder().setImgVersion(2).build());
    assertThat(CriuImages.dumpRunId(dir)).isEmpty();
  }

  @Test
  void aFileThatIsNotAnInventoryIsRefused() throws IOException {
    writeInventory(0x12345678, InventoryEntry.newBuilder().setImgVersion(2).build());
    assertThatThrownBy(() -> CriuImages.dumpRunId(dir))
        .hasMessageContaining("is not a CRIU inventory image");
  }

  @Test
  void theLockTableNameIsCutWhereCriuCutsIt() {
    assertThat(CriuImages.networkLockTable(RUN_ID)).isEqualTo("CRIU-137a5521-ec20-4491-bd");
    assertThat(("inet " + CriuImages.networkLockTable(RUN_ID)).length()).isEqualTo(31);
  }
}
