package com.example;

import java.sql.Connection;
import java.sql.Statement;

public class UserController {
    private final Connection db;

    public UserController(Connection db) { this.db = db; }

    public void find(String name) throws Exception {
        Statement st = db.createStatement();
        st.executeQuery("SELECT * FROM users WHERE name = '" + name + "'");
    }
}
