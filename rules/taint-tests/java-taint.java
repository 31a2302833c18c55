import java.sql.*;

class Queries {
    private String cached;

    void direct(HttpServletRequest req, Statement stmt) throws Exception {
        // ruleid: java-taint-sql
        stmt.executeQuery(req.getParameter("q"));
        // ok: java-taint-sql
        stmt.executeQuery("select 1");
    }

    void concat(HttpServletRequest req, Statement stmt) throws Exception {
        String id = req.getParameter("id");
        String q = "select * from t where id = " + id;
        // ruleid: java-taint-sql
        stmt.executeQuery(q);
        StringBuilder sb = new StringBuilder();
        sb.append("select ").append(id);
        // ruleid: java-taint-sql
        stmt.executeQuery(sb.toString());
        StringBuilder clean = new StringBuilder();
        clean.append("select 1");
        // ok: java-taint-sql
        stmt.executeQuery(clean.toString());
    }

    void sanitized(HttpServletRequest req, Statement stmt) throws Exception {
        String id = Encoder.escape(req.getParameter("id"));
        // ok: java-taint-sql
        stmt.executeQuery("select " + id);
    }

    void overwritten(HttpServletRequest req, Statement stmt) throws Exception {
        String id = req.getParameter("id");
        id = "1";
        // ok: java-taint-sql
        stmt.executeQuery(id);
    }

    void fields(HttpServletRequest req, Statement stmt) throws Exception {
        this.cached = req.getParameter("id");
        // ruleid: java-taint-sql
        stmt.executeQuery(this.cached);
    }

    void control(HttpServletRequest req, Statement stmt, int n) throws Exception {
        String id = req.getParameter("id");
        String q = n > 0 ? id : "x";
        // ruleid: java-taint-sql
        stmt.executeQuery(q);
        String r = id;
        switch (n) {
            case 1: r = "a"; break;
            default: r = "b";
        }
        // ok: java-taint-sql
        stmt.executeQuery(r);
        for (String part : id.split(",")) {
            // ruleid: java-taint-sql
            stmt.executeQuery(part);
        }
        Object o = (Object) id;
        // ruleid: java-taint-sql
        stmt.executeQuery((String) o);
    }

    void exceptions(HttpServletRequest req, Statement stmt) throws Exception {
        String q = "safe";
        try {
            q = req.getParameter("id");
            check(q);
        } catch (IllegalStateException e) {
            // ruleid: java-taint-sql
            stmt.executeQuery(q);
        } finally {
            log("done");
        }
        try {
            throw new RuntimeException(req.getParameter("x"));
        } catch (RuntimeException e) {
            // ruleid: java-taint-sql
            stmt.executeQuery(e.getMessage());
        }
    }

    void numbers(HttpServletRequest req) {
        int n = Integer.parseInt(req.getParameter("n"));
        // ok: java-taint-safe
        sink(n);
        String s = req.getParameter("s");
        // ruleid: java-taint-safe
        sink(s);
    }

    void labels() {
        String a = sourceA();
        String b = sourceB();
        // ruleid: java-taint-labels
        both(a + b);
        // ok: java-taint-labels
        both(a);
        // ruleid: java-taint-labels
        onlyA(a);
        // ok: java-taint-labels
        onlyA(a + b);
    }
}
