package dev.cryo.recoverable.map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cryo.recoverable.Durability;
import dev.cryo.recoverable.RecoverableMemory;
import dev.cryo.recoverable.RecoverableMemoryOptions;
import dev.cryo.recoverable.Transaction;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PersistentMapTest {
  @TempDir Path tmp;

  private RecoverableMemory region;
  private PersistentMap map;

  @BeforeEach
  void createMap() throws IOException {
    region =
        RecoverableMemory.create(
            tmp.resolve("region"), RecoverableMemoryOptions.of(1 << 20, Durability.PROCESS_CRASH));
    map = PersistentMap.create(region, 4096, 64, 32, 100);
  }

  private static byte[] bytes(String s) {
    return s.getBytes();
  }

  @Test
  void putGetAndRemoveByStringOrBytes() {
    try (Transaction tx = region.begin()) {
      map.put(tx, "alpha", bytes("1"));
      map.put(tx, bytes("beta"), bytes("2"));
      tx.commit();
    }
    assertThat(map.get("alpha")).hasValueSatisfying(v -> assertThat(v).isEqualTo(bytes("1")));
    assertThat(map.get(bytes("beta"))).hasValueSatisfying(v -> assertThat(v).isEqualTo(bytes("2")));
    assertThat(map.get("gamma")).isEmpty();
    assertThat(map.size()).isEqualTo(2);

    try (Transaction tx = region.begin()) {
      map.put(tx, "alpha", bytes("one"));
      assertThat(map.remove(tx, "beta")).isTrue();
      assertThat(map.remove(tx, "beta")).isFalse();
      tx.commit();
    }
    assertThat(map.get("alpha")).hasValueSatisfying(v -> assertThat(v).isEqualTo(bytes("one")));
    assertThat(map.get("beta")).isEmpty();
    assertThat(map.size()).isEqualTo(1);
  }

  @Test
  void severalUpdatesCommitTogetherOrNotAtAll() throws IOException {
    try (Transaction tx = region.begin()) {
      map.put(tx, "a", bytes("1"));
      tx.commit();
    }
    try (Transaction tx = region.begin()) {
      map.put(tx, "a", bytes("2"));
      map.put(tx, "b", bytes("2"));
      map.remove(tx, "a");
      tx.abort();
    }
    assertThat(map.get("a")).hasValueSatisfying(v -> assertThat(v).isEqualTo(bytes("1")));
    assertThat(map.get("b")).isEmpty();
    assertThat(map.size()).isEqualTo(1);

    Transaction inFlight = region.begin();
    map.put(inFlight, "a", bytes("3"));
    map.put(inFlight, "c", bytes("3"));
    Path crashed = Files.copy(region.file(), tmp.resolve("crashed"));
    inFlight.abort();
    try (RecoverableMemory recovered = RecoverableMemory.open(crashed)) {
      PersistentMap after = PersistentMap.open(recovered, 4096);
      assertThat(after.get("a")).hasValueSatisfying(v -> assertThat(v).isEqualTo(bytes("1")));
      assertThat(after.get("c")).isEmpty();
      assertThat(after.size()).isEqualTo(1);
    }
  }

  @Test
  void collidingKeysAndReusedSlotsStayFindable() {
    for (int round = 0; round < 3; round++) {
      try (Transaction tx = region.begin()) {
        for (int i = 0; i < 60; i++) {
          map.put(tx, "key-" + i, bytes("v" + i + "-" + round));
        }
        tx.commit();
      }
      try (Transaction tx = region.begin()) {
        for (int i = 0; i < 60; i += 2) {
          map.remove(tx, "key-" + i);
        }
        tx.commit();
      }
      for (int i = 0; i < 60; i++) {
        String key = "key-" + i;
        if (i % 2 == 0) {
          assertThat(map.get(key)).as(key).isEmpty();
        } else {
          int n = i;
          int r = round;
          assertThat(map.get(key))
              .as(key)
              .hasValueSatisfying(v -> assertThat(v).isEqualTo(bytes("v" + n + "-" + r)));
        }
      }
      assertThat(map.size()).isEqualTo(30);
    }
  }

  @Test
  void typedValuesGoThroughTheCodec() {
    TypedMap<Long> balances = map.withValues(Codec.INT64);
    try (Transaction tx = region.begin()) {
      balances.put(tx, "ann", 100L);
      balances.put(tx, "bob", -5L);
      tx.commit();
    }
    assertThat(balances.get("ann")).contains(100L);
    assertThat(balances.get("bob")).contains(-5L);
    assertThat(map.withValues(Codec.UTF8).get("nobody")).isEmpty();
  }

  @Test
  void outOfShapeInputIsRefusedClearly() {
    try (Transaction tx = region.begin()) {
      assertThatThrownBy(() -> map.put(tx, "k".repeat(33), bytes("v")))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("keys of 1 to 32 bytes");
      assertThatThrownBy(() -> map.put(tx, "k", new byte[101]))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("maximum of 100");
      for (int i = 0; i < 64; i++) {
        map.put(tx, "k" + i, bytes("v"));
      }
      assertThatThrownBy(() -> map.put(tx, "one-too-many", bytes("v")))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("is full (64 entries)");
    }
    assertThatThrownBy(() -> PersistentMap.open(region, 0))
        .hasMessageContaining("no persistent map at offset 0");
    assertThatThrownBy(() -> PersistentMap.create(region, region.size() - 100, 64, 32, 100))
        .isInstanceOf(IndexOutOfBoundsException.class);
  }

  @Test
  void aMapSurvivesClosingAndReopening() throws IOException {
    try (Transaction tx = region.begin()) {
      map.put(tx, "kept", bytes("yes"));
      tx.commit();
    }
    region.close();
    try (RecoverableMemory reopened = RecoverableMemory.open(tmp.resolve("region"))) {
      assertThat(PersistentMap.open(reopened, 4096).get("kept"))
          .hasValueSatisfying(v -> assertThat(v).isEqualTo(bytes("yes")));
    }
  }
}
