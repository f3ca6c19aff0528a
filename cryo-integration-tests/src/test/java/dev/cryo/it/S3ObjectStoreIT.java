package dev.cryo.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.cryo.repository.ObjectNotFoundException;
import dev.cryo.repository.ObjectStore.StoredObject;
import dev.cryo.repository.ObjectStoreAccessDeniedException;
import dev.cryo.repository.ObjectStoreMissingException;
import dev.cryo.repository.ObjectStoreUnavailableException;
import dev.cryo.repository.s3.S3Credentials;
import dev.cryo.repository.s3.S3ObjectStore;
import dev.cryo.repository.s3.S3Settings;
import dev.cryo.testkit.S3Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link S3ObjectStore} against a real S3 API server, s3proxy on a directory: what a remote
 * repository stores and lists, and each failure a user can meet, as the exception that says what to
 * do.
 */
class S3ObjectStoreIT {
  private static final AtomicInteger BUCKETS = new AtomicInteger();

  @TempDir static Path tmp;
  private static S3Proxy proxy;
  private static S3Settings settings;

  private final List<S3ObjectStore> stores = new ArrayList<>();

  @BeforeAll
  static void startS3Proxy() throws Exception {
    proxy = S3Proxy.startIn(tmp.resolve("s3proxy"));
    settings = S3Settings.fromEnvironment(proxy.environment());
  }

  @AfterAll
  static void stopS3Proxy() throws Exception {
    if (proxy != null) {
      proxy.close();
    }
  }

  @AfterEach
  void closeStores() {
    stores.forEach(S3ObjectStore::close);
  }

  /** A store on a new, empty bucket under {@code prefix}. */
  private S3ObjectStore newBucket(String prefix) throws Exception {
    S3ObjectStore store = open("s3://" + newBucketName() + prefix, settings);
    store.createIfMissing();
    return store;
  }

  private static String newBucketName() {
    return "cryo-it-" + BUCKETS.incrementAndGet();
  }

  private S3ObjectStore open(String location, S3Settings with) throws Exception {
    S3ObjectStore store = S3ObjectStore.open(location, with);
    stores.add(store);
    return store;
  }

  private static byte[] randomBytes(int size, long seed) {
    byte[] bytes = new byte[size];
    new Random(seed).nextBytes(bytes);
    return bytes;
  }

  @Test
  void anObjectPutIsReadBackWholeUpToTheLargestChunkPack() throws Exception {
    S3ObjectStore store = newBucket("/repo");
    byte[] small = "repository config".getBytes(StandardCharsets.UTF_8);
    byte[] large = randomBytes(16 << 20, 1);

    store.put("config", small);
    store.put("packs/00/0001", large);

    assertThat(store.get("config")).as("the small object read back").isEqualTo(small);
    assertThat(store.get("packs/00/0001")).as("the 16 MiB object read back").isEqualTo(large);
    assertThat(store.location()).startsWith("s3://cryo-it-").endsWith("/repo");
  }

  @Test
  void anObjectPutAgainIsReplaced() throws Exception {
    S3ObjectStore store = newBucket("");

    store.put("lock", new byte[] {1});
    store.put("lock", new byte[] {2, 2});

    assertThat(store.get("lock")).isEqualTo(new byte[] {2, 2});
  }

  @Test
  void keysAreRelativeToTheStoresPrefixAndLandUnderIt() throws Exception {
    S3ObjectStore store = newBucket("/hosts/web-1");
    String bucket = store.location().substring("s3://".length()).split("/")[0];

    store.put("snapshots/a", new byte[] {7});

    assertThat(proxy.dataDirectory().resolve(bucket).resolve("hosts/web-1/snapshots/a"))
        .as("the object as s3proxy keeps it, under the prefix")
        .exists();
    S3ObjectStore bucketRoot = open("s3://" + bucket, settings);
    assertThat(bucketRoot.get("hosts/web-1/snapshots/a")).isEqualTo(new byte[] {7});
  }

  @Test
  void listingPagesThroughEveryObjectUnderAPrefixInKeyOrder() throws Exception {
    S3ObjectStore store = newBucket("/repo");
    String bucket = store.location().substring("s3://".length()).split("/")[0];
    S3ObjectStore smallPages = open(store.location(), settings.withListPageSize(2));
    List<String> chunkKeys = new ArrayList<>();
    for (int i = 6; i >= 0; i--) {
      String key = "chunks/" + Integer.toHexString(i * 37) + "/c" + i;
      store.put(key, new byte[i]);
      chunkKeys.add(key);
    }
    store.put("snapshots/s1", new byte[3]);
    store.put("config", new byte[1]);
    open("s3://" + bucket + "/other", settings).put("chunks/elsewhere", new byte[1]);

    List<StoredObject> chunks = smallPages.list("chunks/");
    List<StoredObject> all = smallPages.list("");

    assertThat(chunks)
        .as("7 chunks in 4 pages of 2, keys relative to the store, in key order")
        .extracting(StoredObject::key)
        .containsExactlyElementsOf(chunkKeys.stream().sorted().toList());
    assertThat(chunks)
        .as("each with its size")
        .allSatisfy(
            o ->
                assertThat(o.size())
                    .isEqualTo(Long.parseLong(o.key().substring(o.key().lastIndexOf('c') + 1))));
    assertThat(chunks)
        .as("each with when it was put")
        .allSatisfy(o -> assertThat(o.lastModified()).isNotNull());
    assertThat(all)
        .as("everything under the store's prefix, nothing from beside it")
        .hasSize(9)
        .extracting(StoredObject::key)
        .isSorted()
        .contains("config", "snapshots/s1")
        .doesNotContain("chunks/elsewhere", "other/chunks/elsewhere");
    assertThat(smallPages.list("nothing/")).as("a prefix nothing has").isEmpty();
  }

  @Test
  void deleteRemovesTheObjectAndDeletingAMissingOneIsNoError() throws Exception {
    S3ObjectStore store = newBucket("/repo");
    store.put("locks/l1", new byte[] {1});

    store.delete("locks/l1");
    store.delete("locks/never-there");

    assertThat(store.list("locks/")).as("no objects left").isEmpty();
    assertThatThrownBy(() -> store.get("locks/l1")).isInstanceOf(ObjectNotFoundException.class);
  }

  @Test
  void createIfMissingMakesTheBucketOnceAndLeavesItAfterwards() throws Exception {
    String bucket = newBucketName();
    S3ObjectStore store = open("s3://" + bucket + "/repo", settings);

    store.createIfMissing();
    store.put("config", new byte[] {1});
    store.createIfMissing();

    assertThat(proxy.dataDirectory().resolve(bucket)).as("the bucket s3proxy made").isDirectory();
    assertThat(store.get("config"))
        .as("an object made before the second call")
        .isEqualTo(new byte[] {1});
  }

  @Test
  void aMissingBucketIsObjectStoreMissingAndSaysToInitialiseTheRepository() throws Exception {
    String bucket = newBucketName();
    S3ObjectStore store = open("s3://" + bucket + "/repo", settings);

    assertThatThrownBy(() -> store.get("config"))
        .isInstanceOf(ObjectStoreMissingException.class)
        .hasMessage(
            "bucket "
                + bucket
                + " does not exist at "
                + proxy.endpoint()
                + "; create the repository with 'cryo repo init'");
    // Refused before its body is sent, a put sees a broken write; the store asks the bucket why.
    assertThatThrownBy(() -> store.put("config", new byte[] {1}))
        .isInstanceOf(ObjectStoreMissingException.class);
    assertThatThrownBy(() -> store.list("")).isInstanceOf(ObjectStoreMissingException.class);
  }

  @Test
  void aMissingKeyIsObjectNotFound() throws Exception {
    S3ObjectStore store = newBucket("/repo");

    assertThatThrownBy(() -> store.get("snapshots/none"))
        .isInstanceOf(ObjectNotFoundException.class)
        .hasMessage(
            "object snapshots/none is missing from "
                + store.location()
                + " at "
                + proxy.endpoint());
  }

  @Test
  void aWrongSecretKeyIsAccessDeniedAndTheMessageDoesNotShowIt() throws Exception {
    S3ObjectStore good = newBucket("/repo");
    good.put("config", new byte[] {1});
    S3ObjectStore store =
        open(
            good.location(),
            settings.withCredentials(
                new S3Credentials.Keys(proxy.accessKey(), "not-the-secret-key")));

    assertThatThrownBy(() -> store.get("config"))
        .isInstanceOf(ObjectStoreAccessDeniedException.class)
        .hasMessageContaining("refused the credentials")
        .hasMessageContaining("check AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY or the profile")
        .hasMessageNotContaining("not-the-secret-key");
    assertThatThrownBy(() -> store.put("config", new byte[] {2}))
        .isInstanceOf(ObjectStoreAccessDeniedException.class);
    assertThatThrownBy(() -> store.list("")).isInstanceOf(ObjectStoreAccessDeniedException.class);
    assertThatThrownBy(store::createIfMissing).isInstanceOf(ObjectStoreAccessDeniedException.class);
  }

  @Test
  void anUnknownAccessKeyIsAccessDenied() throws Exception {
    S3ObjectStore good = newBucket("/repo");
    S3ObjectStore store =
        open(
            good.location(),
            settings.withCredentials(new S3Credentials.Keys("someone-else", proxy.secretKey())));

    assertThatThrownBy(() -> store.put("config", new byte[] {1}))
        .isInstanceOf(ObjectStoreAccessDeniedException.class)
        .hasMessageContaining(
            good.location() + " at " + proxy.endpoint() + " refused the credentials");
  }

  @Test
  void withNoCredentialsAnywhereItIsAccessDeniedAndSaysHowToGiveThem() throws Exception {
    assumeTrue(
        System.getenv("AWS_ACCESS_KEY_ID") == null
            && System.getenv("AWS_WEB_IDENTITY_TOKEN_FILE") == null
            && System.getenv("AWS_CONTAINER_CREDENTIALS_FULL_URI") == null
            && System.getenv("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI") == null
            && "true".equals(System.getProperty("aws.disableEc2Metadata")),
        "no credentials in this test's environment, and no metadata service asked");
    S3ObjectStore good = newBucket("/repo");
    S3ObjectStore store =
        open(
            good.location(),
            settings.withCredentials(
                new S3Credentials.DefaultChain(
                    "cryo-it-no-such-profile",
                    tmp.resolve("no-config"),
                    tmp.resolve("no-credentials"))));

    assertThatThrownBy(() -> store.list(""))
        .isInstanceOf(ObjectStoreAccessDeniedException.class)
        .hasMessage(
            "no credentials for "
                + good.location()
                + " at "
                + proxy.endpoint()
                + "; set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE naming a"
                + " profile in ~/.aws/credentials");
  }

  @Test
  void aStoppedServerIsUnavailableAndTheSameStoreWorksOnceItIsBack() throws Exception {
    S3ObjectStore store = newBucket("/repo");
    store.put("before", new byte[] {1});

    proxy.stop();
    try {
      assertThatThrownBy(() -> store.put("during", new byte[] {2}))
          .as("a put while the server is down")
          .isInstanceOf(ObjectStoreUnavailableException.class)
          .hasMessageContaining("cannot reach " + store.location() + " at " + proxy.endpoint())
          .hasMessageContaining("check that the server runs");
      assertThatThrownBy(() -> store.get("before"))
          .as("a get while the server is down")
          .isInstanceOf(ObjectStoreUnavailableException.class);
      assertThatThrownBy(() -> store.list(""))
          .as("a list while the server is down")
          .isInstanceOf(ObjectStoreUnavailableException.class);
    } finally {
      proxy.start();
    }

    store.put("after", new byte[] {3});
    assertThat(store.get("before"))
        .as("the object put before the outage")
        .isEqualTo(new byte[] {1});
    assertThat(store.list("")).extracting(StoredObject::key).containsExactly("after", "before");
  }

  @Test
  void s3proxyKeepsItsLogInItsDirectory() {
    assertThat(proxy.log()).as("s3proxy's log file").exists();
    assertThat(Files.isDirectory(proxy.dataDirectory())).isTrue();
  }
}
