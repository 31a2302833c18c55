// Annotated target of injection.yml: each rule's true and false positives.
package example.injection;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;

public class Injection {
    private static final String TABLE = "users";

    ResultSet byName(Connection conn, String name) throws Exception {
        Statement st = conn.createStatement();
        // ruleid: java-sql-concat
        return st.executeQuery("SELECT * FROM users WHERE name = '" + name + "'");
    }

    void remove(Statement st, String id) throws Exception {
        // ruleid: java-sql-concat
        st.execute("DELETE FROM users WHERE id = " + id);
        // ruleid: java-sql-concat
        st.executeUpdate(String.format("DELETE FROM %s WHERE id = %s", TABLE, id));
        // ok: java-sql-concat
        st.execute("DELETE FROM " + "users");
        // ok: java-sql-concat
        st.execute("DELETE FROM users WHERE id = 1");
    }

    PreparedStatement prepare(Connection conn, String order) throws Exception {
        // ruleid: java-sql-concat
        PreparedStatement a = conn.prepareStatement("SELECT * FROM users ORDER BY " + order);
        // ok: java-sql-concat
        PreparedStatement b = conn.prepareStatement("SELECT * FROM users WHERE name = ?");
        return a != null ? a : b;
    }

    ResultSet later(Statement st, String name) throws Exception {
        String q = "SELECT id FROM users WHERE name = '" + name + "'";
        // ruleid: java-sql-concat
        return st.executeQuery(q);
    }

    ResultSet built(Statement st, String name) throws Exception {
        StringBuilder sb = new StringBuilder("SELECT id FROM users WHERE name = '");
        sb.append(name).append("'");
        // ruleid: java-sql-concat
        return st.executeQuery(sb.toString());
    }

    ResultSet safe(Connection conn, String name) throws Exception {
        String q = "SELECT id FROM users WHERE name = ?";
        PreparedStatement ps = conn.prepareStatement(q);
        ps.setString(1, name);
        // ok: java-sql-concat
        return ps.executeQuery();
    }

    void commands(String host, String file) throws Exception {
        // ruleid: java-command-concat
        Runtime.getRuntime().exec("ping -c 1 " + host);
        Runtime rt = Runtime.getRuntime();
        // ruleid: java-command-concat
        rt.exec("tar xf " + file);
        // ok: java-command-concat
        rt.exec(new String[] { "ping", "-c", "1", host });
        // ruleid: java-command-concat
        new ProcessBuilder("sh", "-c", "grep " + host + " /etc/hosts").start();
        // ok: java-command-concat
        new ProcessBuilder("grep", host, "/etc/hosts").start();
        // ruleid: java-command-concat
        Runtime.getRuntime().exec(new String[] { "/bin/sh", "-c", "ls " + file });
    }
}
