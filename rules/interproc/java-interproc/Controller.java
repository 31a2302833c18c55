// Controller.java: callers; the callees are reached through Repo and Base.
class Controller {
    Repo repo;
    Statement st;

    void list(HttpServletRequest req) {
        repo.find(req.getParameter("name"));
    }

    void viaBase(HttpServletRequest req, Base b) {
        b.run(req.getParameter("v"));
    }

    String id(String s) {
        return s;
    }

    String clean(String s) {
        return Sanitizer.clean(s);
    }

    void local(HttpServletRequest req) {
        String a = id(req.getParameter("a"));
        // ruleid: java-ip-sql
        st.executeQuery(a);
        String b = clean(req.getParameter("b"));
        // ok: java-ip-sql
        st.executeQuery(b);
        countdown(req.getParameter("c"), 3);
    }

    void countdown(String q, int n) {
        if (n > 0) {
            countdown(q, n - 1);
            return;
        }
        // ruleid: java-ip-sql
        st.executeQuery(q);
    }
}
