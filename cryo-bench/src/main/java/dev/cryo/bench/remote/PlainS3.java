package dev.cryo.bench.remote;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The baseline of a push and a pull: what a program gets from the AWS SDK for Java v2 used plainly,
 * one {@code PutObject} or {@code GetObject} per file, one after the other, with the client set up
 * as cryo's own (the JDK's HttpURLConnection, path-style addressing, checksums only when required,
 * as s3proxy needs). It runs in a JVM of its own, as {@code cryo push} does, and prints the time
 * from its first request to its last answer, in nanoseconds, leaving out the JVM's start and the
 * client's set-up as cryo's own line leaves them out.
 *
 * <p>Usage: {@code PlainS3 put BUCKET DIR} (creates the bucket, then stores every file under DIR as
 * an object named by its relative path) or {@code PlainS3 get BUCKET DIR} (writes every object of
 * the bucket under DIR); the endpoint and credentials come from {@code AWS_ENDPOINT_URL}, {@code
 * AWS_ACCESS_KEY_ID}, {@code AWS_SECRET_ACCESS_KEY} and {@code AWS_REGION}.
 */
public final class PlainS3 {
  private PlainS3() {}

  public static void main(String[] args) throws IOException {
    if (args.length != 3 || !List.of("put", "get").contains(args[0])) {
      System.err.println("usage: PlainS3 put|get BUCKET DIR");
      System.exit(2);
    }
    String bucket = args[1];
    Path dir = Path.of(args[2]);
    try (S3Client client = client()) {
      long nanos;
      if (args[0].equals("put")) {
        client.createBucket(b -> b.bucket(bucket));
        List<Path> files;
        try (Stream<Path> all = Files.walk(dir)) {
          files = all.filter(Files::isRegularFile).sorted().toList();
        }
        long start = System.nanoTime();
        for (Path file : files) {
          String key = dir.relativize(file).toString();
          client.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromFile(file));
        }
        nanos = System.nanoTime() - start;
      } else {
        long start = System.nanoTime();
        for (var object : client.listObjectsV2Paginator(b -> b.bucket(bucket)).contents()) {
          Path file = dir.resolve(object.key());
          Files.createDirectories(file.getParent());
          client.getObject(
              b -> b.bucket(bucket).key(object.key()), ResponseTransformer.toFile(file));
        }
        nanos = System.nanoTime() - start;
      }
      System.out.println(nanos);
    }
  }

  private static S3Client client() {
    return S3Client.builder()
        .region(Region.of(System.getenv().getOrDefault("AWS_REGION", "us-east-1")))
        .credentialsProvider(EnvironmentVariableCredentialsProvider.create())
        .endpointOverride(URI.create(System.getenv("AWS_ENDPOINT_URL")))
        .forcePathStyle(true)
        .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
        .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
        .httpClientBuilder(UrlConnectionHttpClient.builder())
        .build();
  }
}
