package dev.cryo.cluster.tls;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The blocks of a PEM text: a label ("CERTIFICATE", "PRIVATE KEY") and the DER bytes it wraps. */
record Pem(String label, byte[] der) {
  private static final Pattern BLOCK =
      Pattern.compile(
          "-----BEGIN ([A-Z0-9 ]+)-----\\s*([A-Za-z0-9+/=\\s]*?)\\s*-----END \\1-----",
          Pattern.DOTALL);

  /**
   * Every block of {@code text}, in order.
   *
   * @throws IllegalArgumentException if a block's body is not base64
   */
  static List<Pem> parse(String text) {
    List<Pem> blocks = new ArrayList<>();
    Matcher m = BLOCK.matcher(text);
    while (m.find()) {
      blocks.add(new Pem(m.group(1), Base64.getMimeDecoder().decode(m.group(2))));
    }
    return blocks;
  }
}
