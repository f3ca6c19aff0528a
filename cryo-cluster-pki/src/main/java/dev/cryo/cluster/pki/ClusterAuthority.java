package dev.cryo.cluster.pki;

import java.io.IOException;
import java.io.Reader;
import java.math.BigInteger;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.IPAddress;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemReader;

/**
 * The cluster's own certificate authority, kept in a directory: {@code ca.pem} (its certificate,
 * given to every member) and {@code ca-key.pem} (its key, only where certificates are issued). It
 * issues each identity of the cluster (etcd member, node, administrator) a certificate that serves
 * for both ends of mutual TLS, so that the cluster trusts nobody the system's authorities vouch
 * for, only what its own CA signed.
 */
public final class ClusterAuthority {
  public static final String CERTIFICATE_FILE = "ca.pem";
  public static final String KEY_FILE = "ca-key.pem";
  static final Duration AUTHORITY_VALIDITY = Duration.ofDays(3650);
  static final Duration LEAF_VALIDITY = Duration.ofDays(730);
  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9.-]*");
  private static final Pattern DNS_NAME =
      Pattern.compile(
          "(\\*\\.)?[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*");
  private static final String SIGNATURE = "SHA256withECDSA";
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Path directory;
  private final X509Certificate certificate;
  private final PrivateKey key;

  private ClusterAuthority(Path directory, X509Certificate certificate, PrivateKey key) {
    this.directory = directory;
    this.certificate = certificate;
    this.key = key;
  }

  /**
   * Creates a new CA in {@code directory} (made, mode 0700, if missing): an EC P-256 key in {@code
   * ca-key.pem} (0600) and a self-signed certificate valid for ten years in {@code ca.pem} (0644).
   *
   * @throws ClusterAuthorityExistsException if {@code ca.pem} exists there already
   */
  public static ClusterAuthority create(Path directory) throws IOException {
    Path certificateFile = directory.resolve(CERTIFICATE_FILE);
    if (Files.exists(certificateFile)) {
      throw new ClusterAuthorityExistsException(certificateFile);
    }
    if (!Files.isDirectory(directory)) {
      try {
        Files.createDirectories(
            directory,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      } catch (FileAlreadyExistsException e) {
        throw new IOException(directory + " exists and is not a directory; choose another", e);
      }
    }
    KeyPair pair = newKeyPair();
    X500Name subject = subject("cryo cluster CA");
    Instant now = Instant.now();
    try {
      JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
      X509v3CertificateBuilder builder =
          new JcaX509v3CertificateBuilder(
                  subject,
                  serial(),
                  Date.from(now.minus(Duration.ofMinutes(5))),
                  Date.from(now.plus(AUTHORITY_VALIDITY)),
                  subject,
                  pair.getPublic())
              .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
              .addExtension(
                  Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
              .addExtension(
                  Extension.subjectKeyIdentifier,
                  false,
                  extensions.createSubjectKeyIdentifier(pair.getPublic()));
      X509Certificate certificate = sign(builder, pair.getPrivate());
      // The key first: a ca.pem without its key would block a second attempt.
      PemFiles.write(
          directory.resolve(KEY_FILE),
          PemFiles.pem("PRIVATE KEY", pair.getPrivate().getEncoded()),
          PemFiles.PRIVATE);
      PemFiles.write(
          certificateFile, PemFiles.pem("CERTIFICATE", certificate.getEncoded()), PemFiles.PUBLIC);
      return new ClusterAuthority(directory, certificate, pair.getPrivate());
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot create a CA key and certificate: " + e.getMessage(), e);
    }
  }

  /**
   * Opens the CA in {@code directory}, key included, to issue certificates.
   *
   * @throws ClusterAuthorityMissingException if {@code ca.pem} or {@code ca-key.pem} is missing
   */
  public static ClusterAuthority open(Path directory) throws IOException {
    Path certificateFile = directory.resolve(CERTIFICATE_FILE);
    Path keyFile = directory.resolve(KEY_FILE);
    byte[] certificateDer = read(certificateFile, "CERTIFICATE", "CA certificate");
    byte[] keyDer = read(keyFile, "PRIVATE KEY", "CA key");
    try {
      X509Certificate certificate =
          new JcaX509CertificateConverter()
              .getCertificate(new X509CertificateHolder(certificateDer));
      PrivateKey key =
          KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(keyDer));
      return new ClusterAuthority(directory, certificate, key);
    } catch (IOException | GeneralSecurityException e) {
      throw new IOException(
          "the CA in " + directory + " is damaged (" + e.getMessage() + "); restore it from a copy",
          e);
    }
  }

  /**
   * Issues {@code name} an EC P-256 key and a certificate valid for two years, for servers and
   * clients alike: CN={@code name}, subject alternative names {@code ips} and {@code dnsNames} and
   * always 127.0.0.1 and localhost. Writes {@code NAME.pem} (the certificate alone) and {@code
   * NAME-key.pem} (0600) in the CA's directory, replacing earlier ones.
   *
   * @return the certificate file and the key file
   * @throws IllegalArgumentException if the name, an address or a DNS name cannot be used
   */
  public Path[] issue(String name, List<String> ips, List<String> dnsNames) throws IOException {
    requireValidName(name);
    Set<String> addresses = new LinkedHashSet<>(List.of("127.0.0.1"));
    for (String ip : ips) {
      if (!IPAddress.isValid(ip)) {
        throw new IllegalArgumentException("'" + ip + "' is not an IP address");
      }
      addresses.add(ip);
    }
    Set<String> hosts = new LinkedHashSet<>(List.of("localhost"));
    for (String dns : dnsNames) {
      if (!DNS_NAME.matcher(dns).matches()) {
        throw new IllegalArgumentException("'" + dns + "' is not a DNS name");
      }
      hosts.add(dns);
    }
    List<GeneralName> alternatives = new ArrayList<>();
    addresses.forEach(ip -> alternatives.add(new GeneralName(GeneralName.iPAddress, ip)));
    hosts.forEach(dns -> alternatives.add(new GeneralName(GeneralName.dNSName, dns)));

    KeyPair pair = newKeyPair();
    Instant now = Instant.now();
    Instant notAfter = now.plus(LEAF_VALIDITY);
    if (notAfter.isAfter(certificate.getNotAfter().toInstant())) {
      notAfter = certificate.getNotAfter().toInstant();
    }
    try {
      JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
      X509v3CertificateBuilder builder =
          new JcaX509v3CertificateBuilder(
                  certificate,
                  serial(),
                  Date.from(now.minus(Duration.ofMinutes(5))),
                  Date.from(notAfter),
                  subject(name),
                  pair.getPublic())
              .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
              .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
              .addExtension(
                  Extension.extendedKeyUsage,
                  false,
                  new ExtendedKeyUsage(
                      new KeyPurposeId[] {
                        KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth
                      }))
              .addExtension(
                  Extension.subjectAlternativeName,
                  false,
                  new GeneralNames(alternatives.toArray(GeneralName[]::new)))
              .addExtension(
                  Extension.subjectKeyIdentifier,
                  false,
                  extensions.createSubjectKeyIdentifier(pair.getPublic()))
              .addExtension(
                  Extension.authorityKeyIdentifier,
                  false,
                  extensions.createAuthorityKeyIdentifier(certificate));
      X509Certificate issued = sign(builder, key);
      Path certificateFile = directory.resolve(name + ".pem");
      Path keyFile = directory.resolve(name + "-key.pem");
      PemFiles.write(
          keyFile, PemFiles.pem("PRIVATE KEY", pair.getPrivate().getEncoded()), PemFiles.PRIVATE);
      PemFiles.write(
          certificateFile, PemFiles.pem("CERTIFICATE", issued.getEncoded()), PemFiles.PUBLIC);
      return new Path[] {certificateFile, keyFile};
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot issue a certificate for " + name + ": " + e.getMessage(), e);
    }
  }

  /** The CA's certificate. */
  public X509Certificate certificate() {
    return certificate;
  }

  /** The directory it keeps its files, and the certificates it issues, in. */
  public Path directory() {
    return directory;
  }

  /** The CA's certificate file, which every member of the cluster needs. */
  public Path certificateFile() {
    return directory.resolve(CERTIFICATE_FILE);
  }

  /** Why {@code name} cannot name an identity, or null if it can. */
  public static String invalidNameReason(String name) {
    if (name == null || name.isEmpty()) {
      return "a name is needed";
    }
    if (name.length() > 64) {
      return "'" + name + "' is longer than 64 characters";
    }
    if (!NAME.matcher(name).matches()) {
      return "'"
          + name
          + "' is not a valid name: use lower-case letters, digits, '.' and '-', starting with a"
          + " letter or digit";
    }
    return null;
  }

  private static void requireValidName(String name) {
    String reason = invalidNameReason(name);
    if (reason != null) {
      throw new IllegalArgumentException(reason);
    }
  }

  private static X500Name subject(String commonName) {
    return new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, commonName).build();
  }

  private static BigInteger serial() {
    return new BigInteger(127, RANDOM).add(BigInteger.ONE);
  }

  private static KeyPair newKeyPair() throws IOException {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IOException("this JDK cannot make EC P-256 keys: " + e.getMessage(), e);
    }
  }

  private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey signingKey)
      throws GeneralSecurityException {
    try {
      ContentSigner signer = new JcaContentSignerBuilder(SIGNATURE).build(signingKey);
      return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
    } catch (OperatorCreationException e) {
      throw new GeneralSecurityException(e.getMessage(), e);
    }
  }

  private static byte[] read(Path file, String label, String what) throws IOException {
    try (Reader reader = Files.newBufferedReader(file);
        PemReader pem = new PemReader(reader)) {
      for (PemObject object = pem.readPemObject(); object != null; object = pem.readPemObject()) {
        if (object.getType().equals(label)) {
          return object.getContent();
        }
      }
    } catch (NoSuchFileException e) {
      throw new ClusterAuthorityMissingException(file, what);
    }
    throw new IOException("the " + what + " file " + file + " holds no PEM " + label);
  }
}
