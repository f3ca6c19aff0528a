package dev.cryo.cluster.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cryo.cluster.tls.ClusterTls;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClusterAuthorityTest {
  private static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
  private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";

  @TempDir Path temp;

  private static X509Certificate certificate(Path file) throws Exception {
    try (InputStream in = Files.newInputStream(file)) {
      return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
    }
  }

  private static String mode(Path file) throws Exception {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
  }

  @Test
  void createWritesThePublicCertificateAndAPrivateKeyInAPrivateDirectory() throws Exception {
    Path dir = temp.resolve("pki");
    ClusterAuthority.create(dir);
    assertThat(mode(dir)).as("mode of the new directory").isEqualTo("rwx------");
    assertThat(mode(dir.resolve("ca.pem"))).as("mode of ca.pem").isEqualTo("rw-r--r--");
    assertThat(mode(dir.resolve("ca-key.pem"))).as("mode of ca-key.pem").isEqualTo("rw-------");
    assertThat(Files.readString(dir.resolve("ca-key.pem")))
        .as("the CA key, PKCS#8 PEM")
        .startsWith("-----BEGIN PRIVATE KEY-----");
  }

  @Test
  void theCaIsACaForTenYears() throws Exception {
    Path dir = temp.resolve("pki");
    ClusterAuthority.create(dir);
    X509Certificate ca = certificate(dir.resolve("ca.pem"));
    assertThat(ca.getBasicConstraints())
        .as("basic constraints path length")
        .isGreaterThanOrEqualTo(0);
    assertThat(ca.getNotAfter().toInstant())
        .as("expiry of the CA")
        .isAfter(Instant.now().plus(Duration.ofDays(3649)));
  }

  @Test
  void createRefusesToReplaceAnExistingCa() throws Exception {
    Path dir = temp.resolve("pki");
    ClusterAuthority.create(dir);
    String before = Files.readString(dir.resolve("ca.pem"));
    assertThatThrownBy(() -> ClusterAuthority.create(dir))
        .as("a second create in the same directory")
        .isInstanceOf(ClusterAuthorityExistsException.class)
        .hasMessageContaining("exists already");
    assertThat(Files.readString(dir.resolve("ca.pem")))
        .as("ca.pem after the refusal")
        .isEqualTo(before);
  }

  @Test
  void anIssuedCertificateValidatesAgainstTheCa() throws Exception {
    Path dir = temp.resolve("pki");
    ClusterAuthority.create(dir);
    Path[] files = ClusterAuthority.open(dir).issue("node-a", List.of("198.18.0.1"), List.of());
    X509Certificate ca = certificate(dir.resolve("ca.pem"));
    X509Certificate leaf = certificate(files[0]);
    PKIXParameters parameters = new PKIXParameters(Set.of(new TrustAnchor(ca, null)));
    parameters.setRevocationEnabled(false);
    assertThatCode(
            () ->
                CertPathValidator.getInstance("PKIX")
                    .validate(
                        CertificateFactory.getInstance("X.509").generateCertPath(List.of(leaf)),
                        parameters))
        .as("PKIX validation of the issued certificate against ca.pem")
        .doesNotThrowAnyException();
  }

  @Test
  void anIssuedCertificateServesServersAndClientsWithItsNamesAndLoopback() throws Exception {
    Path dir = temp.resolve("pki");
    ClusterAuthority authority = ClusterAuthority.create(dir);
    Path[] files = authority.issue("node-a", List.of("198.18.0.1"), List.of("a.example"));
    X509Certificate leaf = certificate(files[0]);
    assertThat(leaf.getExtendedKeyUsage())
        .as("extended key usages")
        .containsExactlyInAnyOrder(SERVER_AUTH, CLIENT_AUTH);
    assertThat(leaf.getSubjectAlternativeNames())
        .as("subject alternative names")
        .extracting(name -> (Object) name.get(1))
        .containsExactlyInAnyOrder((Object) "127.0.0.1", "198.18.0.1", "localhost", "a.example");
    assertThat(leaf.getBasicConstraints()).as("basic constraints (not a CA)").isEqualTo(-1);
    assertThat(leaf.getPublicKey().getAlgorithm()).as("key algorithm").isEqualTo("EC");
    assertThat(leaf.getNotAfter().toInstant())
        .as("expiry of the leaf")
        .isBetween(
            Instant.now().plus(Duration.ofDays(729)), Instant.now().plus(Duration.ofDays(731)));
  }

  @Test
  void theCertificateFileHoldsTheLeafAloneAndTheKeyIsPrivate() throws Exception {
    Path dir = temp.resolve("pki");
    Path[] files = ClusterAuthority.create(dir).issue("node-a", List.of(), List.of());
    assertThat(files)
        .as("files written")
        .containsExactly(dir.resolve("node-a.pem"), dir.resolve("node-a-key.pem"));
    assertThat(Files.readString(files[0]).split("BEGIN CERTIFICATE", -1))
        .as("certificates in node-a.pem, plus one")
        .hasSize(2);
    assertThat(mode(files[1])).as("mode of node-a-key.pem").isEqualTo("rw-------");
  }

  @Test
  void whatItIssuesLoadsAsClusterTlsUnderItsName() throws Exception {
    Path dir = temp.resolve("pki");
    Path[] files = ClusterAuthority.create(dir).issue("etcd-1", List.of(), List.of());
    assertThat(ClusterTls.load(dir.resolve("ca.pem"), files[0], files[1]).name())
        .as("name of the loaded identity")
        .isEqualTo("etcd-1");
  }

  @Test
  void openRefusesADirectoryWithoutACa() {
    Path dir = temp.resolve("empty");
    assertThatThrownBy(() -> ClusterAuthority.open(dir))
        .as("opening a directory without ca.pem")
        .isInstanceOf(ClusterAuthorityMissingException.class)
        .hasMessageContaining(dir.resolve("ca.pem") + " does not exist");
  }

  @Test
  void namesAreLowerCaseLettersDigitsDotsAndDashes() throws Exception {
    ClusterAuthority authority = ClusterAuthority.create(temp.resolve("pki"));
    for (String bad : List.of("", "Node", "-a", "a/b", "../x", "a b")) {
      assertThatThrownBy(() -> authority.issue(bad, List.of(), List.of()))
          .as("issuing to '%s'", bad)
          .isInstanceOf(IllegalArgumentException.class);
    }
    assertThat(ClusterAuthority.invalidNameReason("cryo-a.b2"))
        .as("reason against a good name")
        .isNull();
  }

  @Test
  void addressesMustBeIpLiterals() throws Exception {
    ClusterAuthority authority = ClusterAuthority.create(temp.resolve("pki"));
    assertThatThrownBy(() -> authority.issue("a", List.of("example.com"), List.of()))
        .as("a host name given as --ip")
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not an IP address");
  }
}
