package com.example.tests;

import java.io.FileInputStream;
import java.io.Serializable;
import java.security.MessageDigest;
import java.security.spec.KeySpec;
import java.util.List;
import java.util.Random;
import javax.crypto.spec.PBEKeySpec;
import javax.servlet.http.Cookie;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import org.apache.http.conn.ssl.NoopHostnameVerifier;
import org.apache.http.impl.client.HttpClients;

public class Features {
    static final int KEY_BITS = 512;

    boolean compare(String a, String b, Object o) {
        // ruleid: java-equals-self
        boolean x = a.equals(a);
        // ok: java-equals-self
        boolean y = a.equals(b);
        // ruleid: java-string-eq
        boolean z = a == b;
        // ok: java-string-eq
        boolean w = null == b;
        return x && y && z && w && o != null;
    }

    int random(byte[] seed) throws Exception {
        // ruleid: java-fqn
        Random r = new Random();
        // ruleid: java-fqn
        Random r2 = new java.util.Random(42);
        // ok: java-fqn
        java.security.SecureRandom s = new java.security.SecureRandom(seed);
        // ruleid: java-fqn-static
        MessageDigest md = MessageDigest.getInstance("MD5");
        // ruleid: java-fqn-static
        MessageDigest md2 = java.security.MessageDigest.getInstance("SHA1");
        // ok: java-fqn-static
        MessageDigest md3 = MessageDigest.getInstance("SHA-256");
        return r.nextInt() + r2.nextInt() + s.nextInt() + md.getDigestLength()
            + md2.getDigestLength() + md3.getDigestLength();
    }

    String cookies(Cookie c, String fmt, String user, String other) {
        // ruleid: java-args
        c.setSecure(false);
        // ok: java-args
        c.setSecure(true);
        // ruleid: java-args-ellipsis
        String a = String.format(fmt, other, user);
        // ruleid: java-args-ellipsis
        String b = String.format(fmt, user);
        // ok: java-args-ellipsis
        String d = String.format(fmt, user, other);
        return a + b + d;
    }

    // ruleid: java-method-params
    void doGet(HttpServletRequest req, HttpServletResponse resp) throws Exception {
        // ruleid: java-deep
        resp.sendRedirect("/home?next=" + req.getParameter("next"));
        // ok: java-deep
        resp.sendRedirect("/home");
    }

    // ok: java-method-params
    void helper(String req, HttpServletRequest real) {
        real.getSession();
    }

    void streams(String path) throws Exception {
        // ruleid: java-stmt-seq
        FileInputStream in = new FileInputStream(path);
        in.read();
        in.close();
        FileInputStream in2 = null;
        try {
            // ok: java-stmt-seq
            in2 = new FileInputStream(path);
            in2.read();
            in2.close();
        } finally {
            System.out.println("done");
        }
    }

    Object clients() {
        // ruleid: java-chain
        Object c = HttpClients.custom().setMaxConnTotal(4).hostnameVerifier(NoopHostnameVerifier.INSTANCE).build();
        // ok: java-chain
        Object d = HttpClients.custom().setMaxConnTotal(4).build();
        return c == d ? c : d;
    }

    byte[] arrays(int n, long big) {
        // ruleid: java-typed-int
        byte[] a = new byte[n];
        // ok: java-typed-int
        byte[] b = new byte[(int) big + 0 == 0 ? 1 : 2 > 1 ? a.length : 0];
        return b;
    }

    void keys(java.security.KeyPairGenerator gen) {
        // ruleid: java-const-prop
        gen.initialize(KEY_BITS);
        // ruleid: java-const-prop
        gen.initialize(512);
        // ok: java-const-prop
        gen.initialize(4096);
    }

    void errors(Runnable r) {
        // ruleid: java-either-not
        try { r.run(); } catch (Exception e) { r.run(); }
        // ok: java-either-not
        try { r.run(); } catch (IllegalStateException e) { r.run(); }
    }

    KeySpec pbe(char[] pw, byte[] salt) {
        // ruleid: java-mv-comparison
        KeySpec weak = new PBEKeySpec(pw, salt, 1000, 256);
        // ok: java-mv-comparison
        KeySpec strong = new PBEKeySpec(pw, salt, 310000, 256);
        return weak == null ? strong : weak;
    }

    String lists(List<String> l, int i) {
        return l.get(
            // ruleid: java-focus
            i);
    }

    // ruleid: java-regex
    static final String URL = "jdbc:mysql://db/app?user=app&password=s3cret";
    // ok: java-regex
    static final String URL2 = "jdbc:mysql://db/app?user=app";
}

class Account implements Serializable {
    // ruleid: java-inside-class
    public String owner;
    // ok: java-inside-class
    private String secret;
}

class Plain {
    // ok: java-inside-class
    public String owner;
}

class Controller {
    // ruleid: java-annotation
    @RequestMapping("/a")
    String a() { return "a"; }

    // ok: java-annotation
    @RequestMapping(value = "/b", method = RequestMethod.GET)
    String b() { return "b"; }
}
