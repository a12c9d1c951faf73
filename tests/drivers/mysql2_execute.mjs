// Node's mysql2 driver against ddb's MySQL endpoint with execute(): server-side
// prepared statements (COM_STMT_PREPARE/EXECUTE, the binary protocol). Inserts
// binary, DECIMAL, DATETIME(6), DATE, JSON, NULL and UTF-8 values through
// bound parameters, reads them back the same way (a read that may be answered
// by a slave) and through a text query, and compares each exactly.
//
// Usage: node mysql2_execute.mjs PORT USER PASSWORD
// Prints "mysql2: all values equal" and exits 0, or names the first value that
// differs and exits 1.
import mysql from "mysql2/promise";

const [port, user, password] = process.argv.slice(2);

const row = {
  id: 1,
  b: Buffer.from([0x00, 0xff, 0x27, 0x5c, 0x0a, 0x22]),
  d: "12345678901234567890.0123456789",
  dt: "2024-02-29 13:14:15.123456",
  dd: "2024-02-29",
  j: { a: [1, "x", null], "quote'": "\"" },
  n: null,
  s: "héllo 'wörld' \\ 😀",
};

function same(name, got, want) {
  const equal = Buffer.isBuffer(want)
    ? Buffer.isBuffer(got) && got.equals(want)
    : JSON.stringify(got) === JSON.stringify(want);
  if (!equal) {
    console.log(`mysql2: ${name} differs: got ${JSON.stringify(got)}, want ${JSON.stringify(want)}`);
    process.exit(1);
  }
}

// MariaDB's JSON is LONGTEXT with a check: drivers get the text, which
// must parse to the same value.
function compare(how, got) {
  for (const key of Object.keys(row)) {
    const value = key === "j" && typeof got[key] === "string" ? JSON.parse(got[key]) : got[key];
    same(`${how} ${key}`, value, row[key]);
  }
}

const connection = await mysql.createConnection({
  host: "127.0.0.1",
  port: Number(port),
  user,
  password,
  dateStrings: true, // DATETIME(6) and DATE as written, not as JS Dates
  supportBigNumbers: true,
  bigNumberStrings: true,
});
try {
  await connection.query("CREATE DATABASE IF NOT EXISTS drv");
  await connection.query(
    "CREATE TABLE drv.vals (id INT PRIMARY KEY, b VARBINARY(16), d DECIMAL(30,10), dt DATETIME(6), " +
      "dd DATE, j JSON, n INT NULL, s VARCHAR(50) CHARACTER SET utf8mb4)",
  );
  const [inserted] = await connection.execute(
    "INSERT INTO drv.vals (id, b, d, dt, dd, j, n, s) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
    [row.id, row.b, row.d, row.dt, row.dd, JSON.stringify(row.j), row.n, row.s],
  );
  same("affected rows", inserted.affectedRows, 1);
  const [prepared] = await connection.execute("SELECT * FROM drv.vals WHERE id = ?", [row.id]);
  same("prepared row count", prepared.length, 1);
  compare("prepared", prepared[0]);
  const [text] = await connection.query("SELECT * FROM drv.vals WHERE id = 1");
  compare("text", text[0]);
  console.log("mysql2: all values equal");
} finally {
  await connection.end();
}
