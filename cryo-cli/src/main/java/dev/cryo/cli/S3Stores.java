package dev.cryo.cli;

import dev.cryo.repository.ObjectStore;
import dev.cryo.repository.ObjectStoreException;
import dev.cryo.repository.s3.S3ObjectStore;
import dev.cryo.repository.s3.S3Settings;
import java.util.Map;

/**
 * Opens an S3 object store with the AWS CLI's settings from the environment, and the command line's
 * {@code --endpoint} over them. A class of its own so that the SDK's classes load only when an
 * {@code s3://} location is used.
 */
final class S3Stores {
  private S3Stores() {}

  static ObjectStore open(String location, String endpoint, Map<String, String> env)
      throws ObjectStoreException {
    // The SDK's client keeps connections through the JDK's HTTP keep-alive cache, which holds 5
    // per server by default: fewer than a push has requests in flight.
    if (System.getProperty("http.maxConnections") == null) {
      System.setProperty("http.maxConnections", "32");
    }
    S3Settings settings = S3Settings.fromEnvironment(env);
    if (endpoint != null) {
      settings = settings.withEndpoint(endpoint);
    }
    return S3ObjectStore.open(location, settings);
  }
}
