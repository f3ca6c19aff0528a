package dev.cryo.cluster.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClusterTlsTest {
  @TempDir Path dir;

  private static Path fixture(String name) {
    try {
      return Path.of(ClusterTlsTest.class.getResource(name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static ClusterTls load(String name) throws IOException {
    return load("ca.pem", name);
  }

  private static ClusterTls load(String ca, String name) throws IOException {
    return ClusterTls.load(fixture(ca), fixture(name + ".pem"), fixture(name + "-key.pem"));
  }

  @Test
  void nameIsTheCommonNameOfTheOwnCertificate() throws IOException {
    assertThat(load("node-a").name()).as("CN of node-a.pem").isEqualTo("node-a");
  }

  @Test
  void rsaKeysLoadAsWellAsEcKeys() throws IOException {
    assertThat(load("node-r").name()).as("CN of the RSA certificate").isEqualTo("node-r");
  }

  @Test
  void offersOnlyTls13And12() throws IOException {
    ClusterTls tls = load("node-a");
    assertThat(tls.clientParameters().getProtocols())
        .as("client protocols")
        .containsExactly("TLSv1.3", "TLSv1.2");
    assertThat(tls.serverParameters().getProtocols())
        .as("server protocols")
        .containsExactly("TLSv1.3", "TLSv1.2");
  }

  @Test
  void serverParametersRequireAClientCertificate() throws IOException {
    assertThat(load("node-a").serverParameters().getNeedClientAuth())
        .as("need client auth")
        .isTrue();
  }

  @Test
  void twoIdentitiesOfOneCaTalkBothWays() throws Exception {
    assertThat(handshake(load("node-a"), load("node-r")))
        .as("the server's view of the client's name")
        .isEqualTo("node-r");
  }

  @Test
  void aServerRefusesAClientOfAnotherCa() throws Exception {
    ClusterTls server = load("node-a");
    // The stranger trusts the cluster CA, but its own certificate is from another CA.
    ClusterTls stranger = load("ca.pem", "stranger");
    assertThatThrownBy(() -> handshake(server, stranger))
        .as("a handshake with a certificate from another CA")
        .isInstanceOf(IOException.class);
  }

  @Test
  void aClientRefusesAServerOfAnotherCa() throws Exception {
    ClusterTls stranger = load("other-ca.pem", "stranger");
    ClusterTls client = load("node-a");
    assertThatThrownBy(() -> handshake(stranger, client))
        .as("a handshake with a server whose certificate another CA signed")
        .isInstanceOf(SSLException.class);
  }

  @Test
  void aMissingFileIsNamed() {
    Path missing = dir.resolve("nope.pem");
    assertThatThrownBy(
            () -> ClusterTls.load(missing, fixture("node-a.pem"), fixture("node-a-key.pem")))
        .as("loading with a CA file that does not exist")
        .isInstanceOf(ClusterTlsException.class)
        .hasMessage("the CA certificate file " + missing + " does not exist");
  }

  @Test
  void anUnreadableFileIsNamed() throws IOException {
    // root reads any file whatever its mode: a directory cannot be read by anyone.
    Path unreadable = Files.createDirectory(dir.resolve("dir-key.pem"));
    assertThatThrownBy(() -> ClusterTls.load(fixture("ca.pem"), fixture("node-a.pem"), unreadable))
        .as("loading a key that cannot be read")
        .isInstanceOf(ClusterTlsException.class)
        .hasMessageStartingWith("the private key file " + unreadable + " cannot be read");
  }

  @Test
  void aFileThatIsNotPemIsNamed() throws IOException {
    Path garbage = Files.writeString(dir.resolve("cert.pem"), "hello\n");
    assertThatThrownBy(() -> ClusterTls.load(fixture("ca.pem"), garbage, fixture("node-a-key.pem")))
        .as("loading a certificate file without PEM")
        .isInstanceOf(ClusterTlsException.class)
        .hasMessage("the certificate file " + garbage + " is not PEM (no BEGIN/END block)");
  }

  @Test
  void aKeyGivenAsCertificateIsRefused() {
    Path key = fixture("node-a-key.pem");
    assertThatThrownBy(() -> ClusterTls.load(fixture("ca.pem"), key, key))
        .as("a key file given as the certificate")
        .isInstanceOf(ClusterTlsException.class)
        .hasMessageContaining(key + " holds no PEM certificate");
  }

  @Test
  void aKeyOfAnotherCertificateIsRefused() {
    Path key = fixture("node-r-key.pem");
    assertThatThrownBy(() -> ClusterTls.load(fixture("ca.pem"), fixture("node-a.pem"), key))
        .as("node-r's key with node-a's certificate")
        .isInstanceOf(ClusterTlsException.class)
        .hasMessageContaining("the private key in " + key + " does not belong to the certificate");
  }

  @Test
  void aTraditionalEcKeySaysHowToConvertIt() {
    Path key = fixture("node-a-sec1-key.pem");
    assertThatThrownBy(() -> ClusterTls.load(fixture("ca.pem"), fixture("node-a.pem"), key))
        .as("an 'EC PRIVATE KEY' file")
        .isInstanceOf(ClusterTlsException.class)
        .hasMessageContaining("not a PKCS#8 private key")
        .hasMessageContaining("openssl pkcs8 -topk8");
  }

  @Test
  void messagesAreOneLine() {
    Path key = fixture("node-r-key.pem");
    assertThatThrownBy(() -> ClusterTls.load(fixture("ca.pem"), fixture("node-a.pem"), key))
        .as("error message")
        .message()
        .doesNotContain("\n");
  }

  /**
   * Connects {@code client} to {@code server} on loopback; returns the client's name as the server
   * saw it.
   */
  private static String handshake(ClusterTls server, ClusterTls client) throws Exception {
    try (SSLServerSocket listener =
        (SSLServerSocket)
            server
                .sslContext()
                .getServerSocketFactory()
                .createServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      listener.setSSLParameters(server.serverParameters());
      CompletableFuture<String> accepted =
          CompletableFuture.supplyAsync(
              () -> {
                try (SSLSocket s = (SSLSocket) listener.accept()) {
                  s.startHandshake();
                  InputStream in = s.getInputStream();
                  in.read();
                  return ClusterTls.commonName(
                      (X509Certificate) s.getSession().getPeerCertificates()[0]);
                } catch (IOException e) {
                  throw new IllegalStateException(e);
                }
              });
      try (SSLSocket socket =
          (SSLSocket)
              client
                  .sslContext()
                  .getSocketFactory()
                  .createSocket("127.0.0.1", listener.getLocalPort())) {
        socket.setSSLParameters(client.clientParameters());
        socket.startHandshake();
        OutputStream out = socket.getOutputStream();
        out.write(1);
        out.flush();
        socket.getInputStream().read();
      } catch (IOException e) {
        accepted.cancel(true);
        throw e;
      }
      return accepted.get(10, TimeUnit.SECONDS);
    }
  }
}
