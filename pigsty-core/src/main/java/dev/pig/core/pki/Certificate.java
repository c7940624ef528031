package dev.pig.core.pki;

import java.io.ByteArrayInputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * An X.509 certificate as pig compares it: its subject alternative names written the way
 * OpenSSL's configuration takes them ({@code DNS:pg-test}, {@code IP:10.10.10.11}), when it
 * expires, and whether a CA issued it.
 *
 * @param names    the subject alternative names, DNS and IP only, in the certificate's order
 * @param notAfter when it expires
 * @param x509     the certificate itself
 */
public record Certificate(List<String> names, Instant notAfter, X509Certificate x509) {
    private static final int DNS = 2;
    private static final int IP = 7;
    private static final java.util.regex.Pattern DNS_NAME = java.util.regex.Pattern.compile("(\\*\\.)?[A-Za-z0-9_]([A-Za-z0-9._-]{0,252})");

    /** The first certificate of PEM text, or empty when there is none or it does not parse. */
    public static Optional<Certificate> parse(byte[] pem) {
        if (pem == null || pem.length == 0) {
            return Optional.empty();
        }
        try {
            X509Certificate c = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(pem));
            List<String> names = new ArrayList<>();
            Collection<List<?>> alt = c.getSubjectAlternativeNames();
            if (alt != null) {
                for (List<?> e : alt) {
                    int type = (Integer) e.get(0);
                    if (type == DNS) {
                        names.add("DNS:" + e.get(1));
                    } else if (type == IP) {
                        names.add("IP:" + e.get(1));
                    }
                }
            }
            return Optional.of(new Certificate(normalize(names), c.getNotAfter().toInstant(), c));
        } catch (GeneralSecurityException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * Names in one spelling, so a certificate and an inventory compare: DNS names in lower case,
     * IP addresses as Java prints them (IPv6 in full), duplicates dropped.
     */
    public static List<String> normalize(List<String> names) {
        Set<String> out = new LinkedHashSet<>();
        for (String n : names) {
            if (n.startsWith("IP:")) {
                out.add("IP:" + ip(n.substring(3)));
            } else if (n.startsWith("DNS:") && DNS_NAME.matcher(n.substring(4)).matches()) {
                out.add("DNS:" + n.substring(4).toLowerCase(java.util.Locale.ROOT));
            } else {
                throw new IllegalArgumentException("a certificate name is DNS:NAME (letters, digits, '.', '-', '_', a leading '*.')"
                        + " or IP:ADDRESS, not " + n);
            }
        }
        return List.copyOf(out);
    }

    private static String ip(String literal) {
        if (!literal.matches("[0-9a-fA-F:.]+")) {
            throw new IllegalArgumentException("not an IP address: " + literal);
        }
        try {
            // a literal only: getByName resolves nothing for one
            return InetAddress.getByName(literal).getHostAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IP address: " + literal, e);
        }
    }

    /** Whether {@code ca} signed this certificate. */
    public boolean issuedBy(X509Certificate ca) {
        if (!x509.getIssuerX500Principal().equals(ca.getSubjectX500Principal())) {
            return false;
        }
        try {
            x509.verify(ca.getPublicKey());
            return true;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    /** The issuer's common name, or its whole name when it has none: for plans. */
    public String issuer() {
        return commonName(x509.getIssuerX500Principal().getName());
    }

    /** The subject's common name, or its whole name when it has none. */
    public String subjectName() {
        return commonName(x509.getSubjectX500Principal().getName());
    }

    static String commonName(String rfc2253) {
        for (String part : rfc2253.split(",")) {
            if (part.startsWith("CN=")) {
                return part.substring(3);
            }
        }
        return rfc2253;
    }

    /** The day it expires, as plans print it. */
    public String expires() {
        return notAfter.toString().substring(0, 10);
    }
}
