package dev.cryo.recoverable.records;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cryo.recoverable.Durability;
import dev.cryo.recoverable.RecoverableMemory;
import dev.cryo.recoverable.RecoverableMemoryOptions;
import dev.cryo.recoverable.Transaction;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecordArrayTest {
  private static final RecordLayout ACCOUNT =
      RecordLayout.builder()
          .int32("flags")
          .int64("balance")
          .bytes("owner", 12)
          .int32("version")
          .build();

  @TempDir Path tmp;

  @Test
  void fieldsAreLaidOutWithNaturalAlignment() {
    assertThat(ACCOUNT.field("flags").offset()).isZero();
    assertThat(ACCOUNT.field("balance").offset()).isEqualTo(8);
    assertThat(ACCOUNT.field("owner").offset()).isEqualTo(16);
    assertThat(ACCOUNT.field("version").offset()).isEqualTo(28);
    assertThat(ACCOUNT.size()).isEqualTo(32);
    assertThatThrownBy(() -> ACCOUNT.field("nope")).hasMessageContaining("no field 'nope'");
  }

  @Test
  void aTransferBetweenRecordsIsAtomicAcrossACrash() throws Exception {
    RecordLayout.Field balance = ACCOUNT.field("balance");
    Path crashed;
    try (RecoverableMemory region =
        RecoverableMemory.create(
            tmp.resolve("s"), RecoverableMemoryOptions.of(1 << 20, Durability.PROCESS_CRASH))) {
      RecordArray accounts = RecordArray.create(region, 0, ACCOUNT, 1000);
      try (Transaction tx = region.begin()) {
        for (int i = 0; i < 1000; i++) {
          accounts.setLong(tx, i, balance, 100);
        }
        accounts.setBytes(tx, 7, ACCOUNT.field("owner"), "ann".getBytes());
        tx.commit();
      }
      Transaction transfer = region.begin();
      accounts.setLong(transfer, 3, balance, accounts.getLong(3, balance) - 60);
      crashed = Files.copy(region.file(), tmp.resolve("crashed"));
      accounts.setLong(transfer, 4, balance, accounts.getLong(4, balance) + 60);
      transfer.commit();
      assertThat(accounts.getLong(3, balance)).isEqualTo(40);
      assertThat(accounts.getLong(4, balance)).isEqualTo(160);
    }
    try (RecoverableMemory recovered = RecoverableMemory.open(crashed)) {
      RecordArray accounts = RecordArray.open(recovered, 0, ACCOUNT);
      long total = 0;
      for (int i = 0; i < accounts.count(); i++) {
        total += accounts.getLong(i, balance);
      }
      assertThat(total)
          .as("money is neither created nor lost by a crash mid-transfer")
          .isEqualTo(100_000);
      assertThat(accounts.getLong(3, balance)).isEqualTo(100);
      assertThat(new String(accounts.getBytes(7, ACCOUNT.field("owner"))).trim()).startsWith("ann");
    }
  }

  @Test
  void misuseIsRefusedClearly() throws Exception {
    try (RecoverableMemory region =
        RecoverableMemory.create(
            tmp.resolve("s"), RecoverableMemoryOptions.of(1 << 16, Durability.PROCESS_CRASH))) {
      RecordArray accounts = RecordArray.create(region, 0, ACCOUNT, 10);
      RecordLayout other = RecordLayout.builder().int64("balance").build();
      assertThatThrownBy(() -> RecordArray.open(region, 0, other))
          .hasMessageContaining("another layout");
      assertThatThrownBy(() -> accounts.getLong(10, ACCOUNT.field("balance")))
          .isInstanceOf(IndexOutOfBoundsException.class);
      assertThatThrownBy(() -> accounts.getInt(0, ACCOUNT.field("balance")))
          .hasMessageContaining("holds INT64");
      try (Transaction tx = region.begin()) {
        assertThatThrownBy(() -> accounts.setBytes(tx, 0, ACCOUNT.field("owner"), new byte[13]))
            .hasMessageContaining("holds 12 bytes");
      }
      assertThatThrownBy(() -> RecordArray.create(region, region.size() - 64, ACCOUNT, 10))
          .isInstanceOf(IndexOutOfBoundsException.class);
      try (Transaction tx = region.begin()) {
        assertThatThrownBy(region::begin).hasMessageContaining("do not nest");
      }
    }
  }
}
