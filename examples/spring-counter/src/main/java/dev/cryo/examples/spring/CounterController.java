package dev.cryo.testprograms.spring;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The HTTP endpoints through which the integration tests observe the process: a counter held only
 * in memory (so a restore that keeps it proves the heap survived), the process id (to tell a
 * restored process from the original), and fresh random values (to check what randomness looks like
 * after a restore, since the {@link SecureRandom} is created once at startup).
 */
@RestController
public class CounterController {

  private final AtomicLong counter = new AtomicLong();
  private final SecureRandom secureRandom = new SecureRandom();

  /** Creates the controller with a zero counter. */
  public CounterController() {}

  /**
   * Increments the counter.
   *
   * @return the new value
   */
  @PostMapping(path = "/increment", produces = MediaType.TEXT_PLAIN_VALUE)
  public String incrementPost() {
    return Long.toString(counter.incrementAndGet());
  }

  /**
   * Increments the counter, for clients that only GET.
   *
   * @return the new value
   */
  @GetMapping(path = "/increment", produces = MediaType.TEXT_PLAIN_VALUE)
  public String incrementGet() {
    return Long.toString(counter.incrementAndGet());
  }

  /**
   * Reads the counter.
   *
   * @return the current value
   */
  @GetMapping(path = "/count", produces = MediaType.TEXT_PLAIN_VALUE)
  public String count() {
    return Long.toString(counter.get());
  }

  /**
   * Reads this process's id.
   *
   * @return the pid
   */
  @GetMapping(path = "/pid", produces = MediaType.TEXT_PLAIN_VALUE)
  public String pid() {
    return Long.toString(ProcessHandle.current().pid());
  }

  /**
   * Draws fresh randomness.
   *
   * @return 32 hex characters (16 bytes) from the startup {@link SecureRandom}, a space, and a
   *     random UUID
   */
  @GetMapping(path = "/random", produces = MediaType.TEXT_PLAIN_VALUE)
  public String random() {
    byte[] bytes = new byte[16];
    secureRandom.nextBytes(bytes);
    return HexFormat.of().formatHex(bytes) + " " + UUID.randomUUID();
  }
}
