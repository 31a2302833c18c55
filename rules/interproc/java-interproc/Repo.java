// Repo.java: an interface and its implementations, in another file than the caller.
interface Repo {
    void find(String name);
}

class SqlRepo implements Repo {
    Statement st;

    public void find(String name) {
        // ruleid: java-ip-sql
        st.executeQuery("select * from t where name = '" + name + "'");
    }
}

class SafeRepo implements Repo {
    Statement st;

    public void find(String name) {
        // ok: java-ip-sql
        st.executeQuery("select * from t where name = '" + Sanitizer.clean(name) + "'");
    }
}

abstract class Base {
    Statement st;

    abstract String build(String v);

    void run(String v) {
        // ruleid: java-ip-sql
        st.executeQuery(build(v));
    }
}

class Plain extends Base {
    String build(String v) {
        return "select " + v;
    }
}

class Cleaned extends Base {
    String build(String v) {
        return Sanitizer.clean(v);
    }
}
