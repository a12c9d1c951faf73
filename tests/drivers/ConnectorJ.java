// MariaDB Connector/J (Debian's libmariadb-java) against the master's
// endpoint, run by tests/e2e/mysql_endpoint_java_test.cpp as
// `java -cp mariadb-java-client.jar ConnectorJ.java PORT USER PASSWORD`.
// Each connection mode (client-side and server-side prepared statements,
// rewritten batches) writes the same rows; every answer is checked against
// what MariaDB gives, and the script ends with "java: all checks passed".
import java.math.BigDecimal;
import java.sql.*;
import java.util.Arrays;

public class ConnectorJ {
  static int failures = 0;

  static void check(String what, Object got, Object want) {
    if (!String.valueOf(got).equals(String.valueOf(want))) {
      System.out.println("MISMATCH " + what + ": got " + got + ", want " + want);
      failures++;
    }
  }

  static void run(String url, String mode, int base) throws SQLException {
    try (Connection c = DriverManager.getConnection(url + mode)) {
      try (Statement s = c.createStatement()) {
        s.executeUpdate("INSERT INTO t (id, name, amount) VALUES (" + base + ", 'plain', 1.50)");
        s.executeUpdate("INSERT INTO g (note) VALUES ('" + mode + "')", Statement.RETURN_GENERATED_KEYS);
        try (ResultSet keys = s.getGeneratedKeys()) {
          check(mode + " generated key", keys.next() && keys.getLong(1) > 0, true);
        }
      }
      try (PreparedStatement p = c.prepareStatement("INSERT INTO t (id, name, amount, at) VALUES (?, ?, ?, ?)")) {
        p.setInt(1, base + 1);
        p.setString(2, "it's \"quoted\" \\ café");
        p.setBigDecimal(3, new BigDecimal("2.25"));
        p.setTimestamp(4, Timestamp.valueOf("2024-01-02 03:04:05.678"));
        check(mode + " prepared insert", p.executeUpdate(), 1);
        for (int i = 2; i < 6; i++) {
          p.setInt(1, base + i);
          p.setString(2, "batch" + i);
          p.setInt(3, i);
          p.setNull(4, Types.TIMESTAMP);
          p.addBatch();
        }
        check(mode + " batch rows", Arrays.stream(p.executeBatch()).map(n -> n == Statement.SUCCESS_NO_INFO ? 1 : n).sum(), 4);
      }
      c.setAutoCommit(false);
      try (PreparedStatement p = c.prepareStatement("UPDATE t SET amount = amount + ? WHERE id BETWEEN ? AND ?")) {
        p.setInt(1, 1000);
        p.setInt(2, base);
        p.setInt(3, base + 9);
        check(mode + " update in a transaction", p.executeUpdate(), 6);
      }
      c.rollback();
      try (PreparedStatement p = c.prepareStatement("UPDATE t SET amount = amount + ? WHERE id = ?")) {
        p.setInt(1, 100);
        p.setInt(2, base);
        check(mode + " committed update", p.executeUpdate(), 1);
      }
      c.commit();
      c.setAutoCommit(true);
      try (PreparedStatement p = c.prepareStatement("SELECT COUNT(*), SUM(amount), GROUP_CONCAT(name ORDER BY id SEPARATOR '|') FROM t WHERE id BETWEEN ? AND ?")) {
        p.setInt(1, base);
        p.setInt(2, base + 9);
        try (ResultSet r = p.executeQuery()) {
          r.next();
          check(mode + " count", r.getLong(1), 6);
          check(mode + " sum", r.getBigDecimal(2), new BigDecimal("117.75"));
          check(mode + " names", r.getString(3), "plain|it's \"quoted\" \\ café|batch2|batch3|batch4|batch5");
        }
      }
      // A procedure with two result sets and a write between them.
      try (Statement s = c.createStatement()) {
        boolean rows = s.execute("CALL two_sets(" + base + ")");
        StringBuilder seen = new StringBuilder();
        while (true) {
          if (rows) {
            try (ResultSet r = s.getResultSet()) {
              while (r.next()) seen.append(r.getMetaData().getColumnLabel(1)).append('=').append(r.getString(1)).append(' ');
            }
          } else if (s.getUpdateCount() == -1) {
            break;
          }
          rows = s.getMoreResults();
        }
        check(mode + " CALL result sets", seen.toString().trim(), "before=101.50 after=102.50");
      }
      // OUT and INOUT parameters come back in the binary protocol's OUT
      // parameter result set.
      try (CallableStatement cs = c.prepareCall("{call totals(?, ?, ?, ?)}")) {
        cs.setInt(1, base);
        cs.setInt(2, 10);
        cs.registerOutParameter(2, Types.INTEGER);
        cs.registerOutParameter(3, Types.DECIMAL);
        cs.registerOutParameter(4, Types.VARCHAR);
        cs.execute();
        check(mode + " INOUT", cs.getInt(2), 16);
        check(mode + " OUT decimal", cs.getBigDecimal(3), new BigDecimal("118.75"));
        check(mode + " OUT text", cs.getString(4), "rows from " + base);
      }
    }
  }

  public static void main(String[] args) throws Exception {
    String url = "jdbc:mariadb://127.0.0.1:" + args[0] + "/java?user=" + args[1] + "&password=" + args[2];
    String[] modes = {"", "&useServerPrepStmts=true", "&rewriteBatchedStatements=true", "&useBulkStmts=false"};
    for (int m = 0; m < modes.length; m++) run(url, modes[m], 100 * (m + 1));
    if (failures > 0) System.exit(1);
    System.out.println("java: all checks passed");
  }
}
