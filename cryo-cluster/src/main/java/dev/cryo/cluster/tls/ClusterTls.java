package dev.cryo.cluster.tls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.List;
import java.util.Locale;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;

/**
 * This host's identity in the cluster and whom it trusts, from the cluster's PEM files: the cluster
 * CA's certificate, this identity's certificate (chain) and its private key. Every connection
 * between cluster members (etcd, nodes, the command line) is mutual TLS on this material: each side
 * presents its certificate and accepts only peers the cluster CA signed, never the system's trusted
 * authorities.
 */
public final class ClusterTls {
  /** The protocols offered, newest first. */
  public static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

  private static final char[] IN_MEMORY_PASSWORD = "cryo".toCharArray();

  private final SSLContext sslContext;
  private final X509Certificate certificate;

  private ClusterTls(SSLContext sslContext, X509Certificate certificate) {
    this.sslContext = sslContext;
    this.certificate = certificate;
  }

  /**
   * Reads the CA certificate(s) from {@code ca}, this identity's certificate chain from {@code
   * cert} (its own certificate first) and its PKCS#8 private key (EC or RSA) from {@code key}.
   *
   * @throws ClusterTlsException naming the file that is missing, unreadable, not PEM, or a key that
   *     does not match the certificate
   */
  public static ClusterTls load(Path ca, Path cert, Path key) throws IOException {
    List<X509Certificate> authorities = certificates(ca, "CA certificate");
    List<X509Certificate> chain = certificates(cert, "certificate");
    PrivateKey privateKey = privateKey(key);
    if (!belongTogether(privateKey, chain.get(0).getPublicKey())) {
      throw new ClusterTlsException(
          key,
          "the private key in "
              + key
              + " does not belong to the certificate in "
              + cert
              + "; give the key file issued with it");
    }
    try {
      KeyStore trusted = KeyStore.getInstance("PKCS12");
      trusted.load(null, null);
      for (int i = 0; i < authorities.size(); i++) {
        trusted.setCertificateEntry("ca-" + i, authorities.get(i));
      }
      TrustManagerFactory trust =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      trust.init(trusted);

      KeyStore own = KeyStore.getInstance("PKCS12");
      own.load(null, null);
      own.setKeyEntry("own", privateKey, IN_MEMORY_PASSWORD, chain.toArray(Certificate[]::new));
      KeyManagerFactory keys =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      keys.init(own, IN_MEMORY_PASSWORD);

      SSLContext context = SSLContext.getInstance("TLS");
      context.init(keys.getKeyManagers(), trust.getTrustManagers(), new SecureRandom());
      return new ClusterTls(context, chain.get(0));
    } catch (GeneralSecurityException e) {
      throw new ClusterTlsException(
          cert, "cannot use " + cert + " and " + key + " for TLS: " + e.getMessage(), e);
    }
  }

  /**
   * The context for both ends of a connection: as a client it presents this identity and trusts
   * only servers the cluster CA signed; as a server likewise, with {@link #serverParameters()} to
   * require a client certificate.
   */
  public SSLContext sslContext() {
    return sslContext;
  }

  /** Parameters for a client: TLS 1.3 or 1.2, and the server's name checked against its SANs. */
  public SSLParameters clientParameters() {
    SSLParameters parameters = sslContext.getDefaultSSLParameters();
    parameters.setProtocols(PROTOCOLS.toArray(String[]::new));
    parameters.setEndpointIdentificationAlgorithm("HTTPS");
    return parameters;
  }

  /**
   * Parameters for a server: TLS 1.3 or 1.2, and a client that presents no certificate signed by
   * the cluster CA is refused in the handshake.
   */
  public SSLParameters serverParameters() {
    SSLParameters parameters = sslContext.getDefaultSSLParameters();
    parameters.setProtocols(PROTOCOLS.toArray(String[]::new));
    parameters.setNeedClientAuth(true);
    return parameters;
  }

  /**
   * The common name (CN) of this identity's certificate: the node or client name it was issued to.
   */
  public String name() {
    return commonName(certificate);
  }

  /** This identity's certificate. */
  public X509Certificate certificate() {
    return certificate;
  }

  /** The common name (CN) in a certificate's subject, or "" when it has none. */
  public static String commonName(X509Certificate certificate) {
    try {
      LdapName subject = new LdapName(certificate.getSubjectX500Principal().getName());
      for (Rdn rdn : subject.getRdns()) {
        if (rdn.getType().equalsIgnoreCase("CN")) {
          return rdn.getValue().toString();
        }
      }
      return "";
    } catch (InvalidNameException e) {
      return "";
    }
  }

  private static List<X509Certificate> certificates(Path file, String what)
      throws ClusterTlsException {
    List<Pem> blocks = pem(file, what);
    List<Pem> certificates = blocks.stream().filter(b -> b.label().equals("CERTIFICATE")).toList();
    if (certificates.isEmpty()) {
      throw new ClusterTlsException(
          file, file + " holds no PEM certificate (BEGIN CERTIFICATE); give the " + what + " file");
    }
    try {
      CertificateFactory factory = CertificateFactory.getInstance("X.509");
      return certificates.stream()
          .map(
              b -> {
                try {
                  return (X509Certificate)
                      factory.generateCertificate(new ByteArrayInputStream(b.der()));
                } catch (CertificateException e) {
                  throw new IllegalArgumentException(e.getMessage(), e);
                }
              })
          .toList();
    } catch (CertificateException | IllegalArgumentException e) {
      throw new ClusterTlsException(
          file, file + " holds a damaged certificate (" + e.getMessage() + ")", e);
    }
  }

  private static PrivateKey privateKey(Path file) throws ClusterTlsException {
    List<Pem> blocks = pem(file, "private key");
    Pem key =
        blocks.stream()
            .filter(b -> b.label().equals("PRIVATE KEY"))
            .findFirst()
            .orElseThrow(
                () ->
                    new ClusterTlsException(
                        file,
                        blocks.isEmpty()
                            ? file
                                + " holds no PEM private key; give the key file (BEGIN PRIVATE KEY)"
                            : file
                                + " holds a "
                                + blocks.get(0).label().toLowerCase(Locale.ROOT)
                                + ", not a PKCS#8 private key (BEGIN PRIVATE KEY); convert it with"
                                + " 'openssl pkcs8 -topk8 -nocrypt'"));
    for (String algorithm : List.of("EC", "RSA")) {
      try {
        return KeyFactory.getInstance(algorithm)
            .generatePrivate(new PKCS8EncodedKeySpec(key.der()));
      } catch (GeneralSecurityException e) {
        // Not of this algorithm: try the next.
      }
    }
    throw new ClusterTlsException(
        file, file + " holds a private key that is neither EC nor RSA, or is damaged");
  }

  private static List<Pem> pem(Path file, String what) throws ClusterTlsException {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.US_ASCII);
    } catch (NoSuchFileException e) {
      throw new ClusterTlsException(file, "the " + what + " file " + file + " does not exist", e);
    } catch (AccessDeniedException e) {
      throw new ClusterTlsException(
          file, "the " + what + " file " + file + " cannot be read: permission denied", e);
    } catch (IOException e) {
      throw new ClusterTlsException(
          file, "the " + what + " file " + file + " cannot be read: " + e.getMessage(), e);
    }
    try {
      List<Pem> blocks = Pem.parse(text);
      if (blocks.isEmpty()) {
        throw new ClusterTlsException(
            file, "the " + what + " file " + file + " is not PEM (no BEGIN/END block)");
      }
      return blocks;
    } catch (IllegalArgumentException e) {
      throw new ClusterTlsException(
          file, "the " + what + " file " + file + " is not valid PEM: " + e.getMessage(), e);
    }
  }

  /** Whether the private key signs what the public key verifies. */
  private static boolean belongTogether(PrivateKey privateKey, PublicKey publicKey) {
    if (!privateKey.getAlgorithm().equals(publicKey.getAlgorithm())) {
      return false;
    }
    String algorithm = privateKey.getAlgorithm().equals("EC") ? "SHA256withECDSA" : "SHA256withRSA";
    try {
      byte[] probe = "cryo key check".getBytes(StandardCharsets.US_ASCII);
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(privateKey);
      signer.update(probe);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(publicKey);
      verifier.update(probe);
      return verifier.verify(signature);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }
}
