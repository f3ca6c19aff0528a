package dev.cryo.bench;

import static dev.cryo.bench.report.Figures.mib;
import static dev.cryo.bench.report.Figures.ratio;
import static dev.cryo.bench.report.Figures.spread;
import static dev.cryo.bench.report.Figures.tableRow;
import static dev.cryo.bench.report.Figures.targetRow;

import dev.cryo.bench.harness.RestoreTrials;
import dev.cryo.bench.remote.RemoteBenchmark;
import dev.cryo.bench.remote.RemoteBenchmark.Series;
import dev.cryo.bench.remote.RemoteBenchmark.Transfers;
import dev.cryo.bench.remote.TransferLines.Transfer;
import dev.cryo.bench.report.Statistics;
import dev.cryo.bench.restore.FirstResponseBenchmark;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * The "remote repository" section of BENCHMARKS.md, rendered from one run's figures: push and pull
 * throughput against the plain AWS SDK, what successive checkpoints upload, a restore from the
 * repository against one from the local store, and a push's processor time per gigabyte against
 * standard tools; the targets; and a reading.
 */
record RemoteSection(
    BenchRun run,
    RemoteBenchmark.Sizes sizes,
    int parallelism,
    List<Transfers> transfers,
    List<Series> series,
    RemoteBenchmark.Restores restores) {
  static final String BEGIN =
      "<!-- cryo remote repository benchmarks: begin (written by scripts/bench) -->";
  static final String END = "<!-- cryo remote repository benchmarks: end -->";

  /** The share of the plain SDK's throughput a push and a pull should reach. */
  private static final double THROUGHPUT_TARGET = 0.8;

  /** The share of the image an incremental checkpoint should upload at most. */
  private static final double INCREMENT_TARGET = 0.10;

  String render() {
    StringBuilder md =
        run.opening(
            BEGIN,
            "Remote repository",
            " of each transfer and restore, cryo's and the baseline's alternating; figures are the median "
                + "(min–max), and every ratio compares medians from this run.",
            "one trial, a small heap and fewer checkpoints; the figures only show that the harness runs.");
    md.append(
        String.format(
            Locale.ROOT,
            "The repository is on s3proxy 2.6 (the S3 API over a directory, here the scratch directory on disk) "
                + "on 127.0.0.1, started by the harness: the same machine, so the server's work shares the %d cores "
                + "with the client's. Every push goes into a new, empty repository in a bucket of its own unless "
                + "said otherwise; cryo moves up to %d objects at a time (`cryo.repository.parallelism`).%n%n",
            Runtime.getRuntime().availableProcessors(),
            parallelism));
    throughput(md);
    increments(md);
    restore(md);
    cpu(md);
    targets(md);
    reading(md);
    return md.append(END).append("\n").toString();
  }

  private static final double MB = 1e6;
  private static final double GB = 1e9;

  private static List<Double> rates(long bytes, List<Double> seconds) {
    return seconds.stream().map(s -> bytes / s / MB).toList();
  }

  private static List<Double> seconds(List<Transfer> transfers) {
    return transfers.stream().map(Transfer::seconds).toList();
  }

  private static double median(List<Double> values) {
    return Statistics.median(values);
  }

  private static <T> List<Double> of(List<T> values, ToDoubleFunction<T> f) {
    return values.stream().map(v -> f.applyAsDouble(v)).toList();
  }

  private void throughput(StringBuilder md) {
    md.append("### Push and pull throughput\n\n");
    md.append(
        "A `HeapServer` (cryo-test-programs; live data in 1 MiB arrays of bytes drawn from 16 values, "
            + "which compress to about half) under the cryo agent is checkpointed with `cryo checkpoint PID --name "
            + "NAME`; each trial then runs `cryo push NAME s3://BUCKET/cryo` into a new repository, `cryo pull NAME "
            + "s3://BUCKET/cryo` into another, empty image store, and the baseline: the same files uploaded with the "
            + "AWS SDK for Java v2 used plainly (cryo-bench's `PlainS3`: one `PutObject` per file, one after the "
            + "other, into a new bucket; then one `GetObject` per object into a directory), with the client set up "
            + "as cryo's (the JDK's `HttpURLConnection`, path-style, checksums only when required), in a JVM of its "
            + "own. Rates are the checkpoint's bytes over the time each command reports for its transfers (cryo's "
            + "`in T`; `PlainS3` times its first request to its last answer), so neither includes a JVM's "
            + "start; the whole commands' wall-clock times follow the table. A pull also authenticates every chunk, "
            + "checks every file's CRC32C and publishes the checkpoint in the store; the SDK only writes the "
            + "files.\n\n");
    md.append(
        "| checkpoint | image | `cryo push` | plain SDK, `PutObject` | push / SDK | `cryo pull` | plain SDK, `GetObject` | pull / SDK |\n"
            + "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
    for (Transfers t : transfers) {
      List<Double> push = rates(t.imageBytes(), seconds(t.pushes()));
      List<Double> put = rates(t.imageBytes(), t.sdkPutSeconds());
      List<Double> pull = rates(t.imageBytes(), seconds(t.pulls()));
      List<Double> get = rates(t.imageBytes(), t.sdkGetSeconds());
      tableRow(
          md,
          t.label(),
          mib(t.imageBytes()) + " in " + t.files() + " files",
          spread(push, "MB/s"),
          spread(put, "MB/s"),
          "**" + ratio(median(push) / median(put)) + "**",
          spread(pull, "MB/s"),
          spread(get, "MB/s"),
          "**" + ratio(median(pull) / median(get)) + "**");
    }
    md.append("\n");
    for (Transfers t : transfers) {
      Transfer first = t.pushes().get(0);
      md.append(
          String.format(
              Locale.ROOT,
              "%s: a push uploads %s (%s of the image, compressed and encrypted) in %,d chunks, %s "
                  + "each on average, packed about 8 MiB to a `PutObject`; the whole `cryo push` command takes %s and `cryo pull` "
                  + "%s, against %s and %s for `PlainS3` (each a fresh JVM).%n%n",
              t.label(),
              mib(first.transferredBytes()),
              percent(first.transferredShare()),
              first.newChunks(),
              kib(first.checkpointBytes() / (double) first.chunks()),
              secondsSpread(t.pushWallSeconds()),
              secondsSpread(t.pullWallSeconds()),
              secondsSpread(t.sdkPutWallSeconds()),
              secondsSpread(t.sdkGetWallSeconds())));
    }
  }

  private void increments(StringBuilder md) {
    md.append("### Bytes uploaded by successive checkpoints\n\n");
    md.append(
        String.format(
            Locale.ROOT,
            "A running program is checkpointed %d times with `cryo checkpoint PID --leave-running`, and "
                + "each checkpoint is pushed into the same repository (`cryo push ID s3://BUCKET/cryo`), "
                + "as `cryo run --remote` does after each periodic checkpoint; the first push fills the empty "
                + "repository, every later one uploads only the chunks the repository lacks. Between two "
                + "checkpoints, Spring Boot serves a light load for a few seconds; HeapServer gets `GET "
                + "/churn?percent=%d`, which rewrites %d%% of its 1 MiB arrays in place with new pseudo-random "
                + "bytes (the arrays do not move). \"Uploaded\" is what the push sent, compressed and encrypted, "
                + "as a share of the checkpoint's image.%n%n",
            sizes.checkpoints(),
            sizes.churnPercent(),
            sizes.churnPercent()));
    for (Series s : series) {
      md.append("**").append(s.label()).append("**, ").append(s.how()).append(".\n\n");
      md.append(
          "| checkpoint | image | uploaded | of the image | chunks new |\n"
              + "| ---: | ---: | ---: | ---: | ---: |\n");
      List<Transfer> pushes = s.pushes();
      for (int i = 0; i < pushes.size(); i++) {
        Transfer p = pushes.get(i);
        tableRow(
            md,
            i + 1,
            mib(p.checkpointBytes()),
            mib(p.transferredBytes()),
            percent(p.transferredShare()),
            String.format(Locale.ROOT, "%,d of %,d", p.newChunks(), p.chunks()));
      }
      List<Double> later = laterShares(s);
      tableRow(
          md, "**2–" + pushes.size() + ", median**", "", "", "**" + sharesSpread(later) + "**", "");
      md.append("\n");
    }
  }

  /** The uploaded shares of the checkpoints after the first. */
  private static List<Double> laterShares(Series s) {
    return of(s.pushes().subList(1, s.pushes().size()), Transfer::transferredShare);
  }

  private void restore(StringBuilder md) {
    RemoteBenchmark.Restores r = restores;
    md.append("### Restore from the repository\n\n");
    md.append(
        String.format(
            Locale.ROOT,
            "%s, warmed with %d requests and checkpointed with `cryo checkpoint PID --name NAME` (%s of "
                + "images), pushed once. Each trial restores it with `cryo restore NAME` from the local store, "
                + "then deletes the local copy (`cryo delete NAME`) and restores it with `cryo restore "
                + "s3://BUCKET/cryo/NAME`, which pulls it into the store (authenticating every chunk), verifies it "
                + "and restores it; the time runs from launching the command to the first HTTP 200 to `GET "
                + "/count` with the count the program had.%n%n",
            r.label(),
            FirstResponseBenchmark.WARM_UP_REQUESTS,
            mib(r.imageBytes())));
    List<Double> local = of(r.local(), RestoreTrials.CryoTrial::firstResponse);
    List<Double> remote = of(r.remote(), RestoreTrials.CryoTrial::firstResponse);
    md.append(
        "| restore | to first response | of which pulling | ratio to the local restore |\n"
            + "| --- | ---: | ---: | ---: |\n");
    tableRow(md, "`cryo restore NAME` (local store)", spread(local), "–", "1");
    tableRow(
        md,
        "`cryo restore s3://BUCKET/cryo/NAME` (no local copy)",
        spread(remote),
        spread(of(r.pulls(), p -> p.seconds() * 1000)),
        "**" + ratio(median(remote) / median(local)) + "**");
    md.append("\n");
  }

  private void cpu(StringBuilder md) {
    md.append("### Processor time of a push\n\n");
    md.append(
        "User and system time of `cryo push NAME DIR` (all its threads; its JVM's start included) into a "
            + "new directory repository on `/dev/shm`, so that no disk and no server take part: it cuts the files "
            + "into chunks, names each by HMAC-SHA256, compresses it with zstd and encrypts it with AES-256-GCM. "
            + "\"Less its fixed cost\" subtracts the time of `cryo list DIR` on the same repository (the JVM's "
            + "start, reading the key, opening the repository). The baselines read the same image files: "
            + "`sha256sum` (one hash of every byte), `zstd -3 -c` to `/dev/null` (compression alone) and `cp -r` "
            + "to `/dev/shm`. Seconds of processor time per GB (10⁹ bytes) of image; the ratio is over "
            + "`sha256sum`'s.\n\n");
    md.append(
        "| checkpoint | `cryo push` | less its fixed cost | `sha256sum` | `zstd -3` | `cp -r` | push / `sha256sum` |\n"
            + "| --- | ---: | ---: | ---: | ---: | ---: | ---: |\n");
    for (Transfers t : transfers) {
      RemoteBenchmark.Cpu c = t.cpu();
      double gb = t.imageBytes() / GB;
      List<Double> push = perGb(c.push(), gb);
      List<Double> net = new ArrayList<>();
      for (int i = 0; i < c.push().size(); i++) {
        net.add((c.push().get(i) - c.fixed().get(i)) / gb);
      }
      List<Double> sha = perGb(c.sha256sum(), gb);
      tableRow(
          md,
          t.label() + " (" + mib(t.imageBytes()) + ")",
          spread(push, "s/GB"),
          spread(net, "s/GB"),
          spread(sha, "s/GB"),
          c.zstd().isEmpty() ? "–" : spread(perGb(c.zstd(), gb), "s/GB"),
          spread(perGb(c.copy(), gb), "s/GB"),
          "**" + ratio(median(push) / median(sha)) + "**");
    }
    md.append("\n");
  }

  private static List<Double> perGb(List<Double> seconds, double gb) {
    return seconds.stream().map(s -> s / gb).toList();
  }

  private void targets(StringBuilder md) {
    md.append("### Targets\n\n| target | measured | met |\n| --- | --- | --- |\n");
    for (Transfers t : transfers) {
      double push = median(rates(t.imageBytes(), seconds(t.pushes())));
      double put = median(rates(t.imageBytes(), t.sdkPutSeconds()));
      double pull = median(rates(t.imageBytes(), seconds(t.pulls())));
      double get = median(rates(t.imageBytes(), t.sdkGetSeconds()));
      targetRow(
          md,
          t.label() + ": `cryo push` ≥ 80% of the plain SDK's throughput",
          String.format(
              Locale.ROOT, "%s against %s: %s", mbps(push), mbps(put), percent(push / put)),
          push >= THROUGHPUT_TARGET * put);
      targetRow(
          md,
          t.label() + ": `cryo pull` ≥ 80% of the plain SDK's throughput",
          String.format(
              Locale.ROOT, "%s against %s: %s", mbps(pull), mbps(get), percent(pull / get)),
          pull >= THROUGHPUT_TARGET * get);
    }
    for (Series s : series) {
      if (!s.label().startsWith("HeapServer")) {
        continue;
      }
      double share = median(laterShares(s));
      targetRow(
          md,
          String.format(
              Locale.ROOT,
              "%s, %s%% changed between checkpoints, %s: an incremental push uploads ≤ 10%% of the image",
              s.label(),
              sizes.churnPercent(),
              s.how().startsWith("under") ? "under the agent" : "without the agent"),
          percent(share) + " (median of checkpoints 2–" + s.pushes().size() + ")",
          share <= INCREMENT_TARGET);
    }
    md.append("\nTargets are recorded, not asserted; each compares medians of the trials.\n\n");
  }

  private void reading(StringBuilder md) {
    md.append("### Reading\n\n");
    for (Transfers t : transfers) {
      double push = median(rates(t.imageBytes(), seconds(t.pushes())));
      double put = median(rates(t.imageBytes(), t.sdkPutSeconds()));
      double pushCpu = median(perGb(t.cpu().push(), t.imageBytes() / GB));
      Transfer first = t.pushes().get(0);
      md.append(
          String.format(
              Locale.ROOT,
              "- **Push, %s.** %s against the plain SDK's %s (%s). The SDK sends %d objects, one per file, "
                  + "the memory pages in one of them; a push sends %,d chunks (%s each on average, %s compressed "
                  + "and encrypted), packed about 8 MiB to a request, and does more with every "
                  + "byte: on a directory in memory, with no server at all, a push alone takes %s of processor "
                  + "time per GB, which at %d cores bounds it to about %s of image before any request is "
                  + "made.%n",
              t.label(),
              mbps(push),
              mbps(put),
              ratio(push / put),
              t.files(),
              first.newChunks(),
              kib(first.checkpointBytes() / (double) first.chunks()),
              kib(first.transferredBytes() / (double) first.newChunks()),
              seconds(pushCpu),
              Runtime.getRuntime().availableProcessors(),
              mbps(Runtime.getRuntime().availableProcessors() / pushCpu * GB / MB)));
    }
    Series agent = null;
    Series plain = null;
    for (Series s : series) {
      if (s.label().startsWith("HeapServer")) {
        if (s.how().startsWith("under")) {
          agent = s;
        } else {
          plain = s;
        }
      } else {
        md.append(
            String.format(
                Locale.ROOT,
                "- **Successive checkpoints, %s.** After the first push, each checkpoint uploaded %s of its "
                    + "image (median of checkpoints 2–%d).%n",
                s.label().replaceAll(" \\(.*", ""),
                percent(median(laterShares(s))),
                s.pushes().size()));
      }
    }
    if (agent != null && plain != null) {
      md.append(
          String.format(
              Locale.ROOT,
              "- **Successive checkpoints, %s with %d%% of its arrays rewritten.** Under the agent, whose "
                  + "full collection before each checkpoint may move objects, a checkpoint uploaded %s of its "
                  + "image; without the agent, %s. %s%n",
              agent.label(),
              sizes.churnPercent(),
              percent(median(laterShares(agent))),
              percent(median(laterShares(plain))),
              median(laterShares(agent)) <= 2 * median(laterShares(plain)) + 0.02
                  ? "The collection left these arrays where they were, as expected: a 1 MiB array is a "
                      + "humongous object for G1 at this heap size (half a region or more), and G1 does not move "
                      + "those; smaller objects that a collection moves would not deduplicate as well."
                  : "The collection moved live data between checkpoints, and moved pages read as new content "
                      + "to the chunker."));
    }
    RemoteBenchmark.Restores r = restores;
    double local = median(of(r.local(), RestoreTrials.CryoTrial::firstResponse));
    double remote = median(of(r.remote(), RestoreTrials.CryoTrial::firstResponse));
    double pull = median(of(r.pulls(), p -> p.seconds() * 1000));
    md.append(
        String.format(
            Locale.ROOT,
            "- **Restore.** From the repository, %s answers %s after the command's launch, against %s "
                + "from the local store (%s): the pull of %s takes %s of it.%n",
            r.label().replaceAll(" \\(.*", ""),
            spread(List.of(remote)),
            spread(List.of(local)),
            ratio(remote / local),
            mib(r.imageBytes()),
            spread(List.of(pull))));
    md.append("\n");
  }

  /** Shares as percentages, median and range, to a tenth below 10%. */
  private static String sharesSpread(List<Double> shares) {
    String median = percent(median(shares));
    return shares.size() <= 1
        ? median
        : median
            + " ("
            + percent(shares.stream().mapToDouble(d -> d).min().orElse(0)).replace("%", "")
            + "–"
            + percent(shares.stream().mapToDouble(d -> d).max().orElse(0))
            + ")";
  }

  private static String percent(double share) {
    return String.format(Locale.ROOT, share < 0.1 ? "%.1f%%" : "%.0f%%", 100 * share);
  }

  private static String mbps(double megabytesPerSecond) {
    return spread(List.of(megabytesPerSecond), "MB/s");
  }

  private static String kib(double bytes) {
    return String.format(Locale.ROOT, "%.0f KiB", bytes / 1024);
  }

  private static String seconds(double seconds) {
    return spread(List.of(seconds), "s");
  }

  private static String secondsSpread(List<Double> seconds) {
    return spread(seconds, "s");
  }
}
