<?php
// PHP's drivers against ddb's MySQL endpoint: mysqli with server-side
// prepared statements, PDO with emulated and native prepares, a multi-query,
// and a transaction rolled back. Exits non-zero on the first difference.
// Usage: php php_mysqli_pdo.php PORT USER PASSWORD
[$script, $port, $user, $password] = $argv;
mysqli_report(MYSQLI_REPORT_ERROR | MYSQLI_REPORT_STRICT);

function expect($what, $got, $want) {
  if ($got !== $want) {
    fwrite(STDERR, "$what: got " . var_export($got, true) . ", want " . var_export($want, true) . "\n");
    exit(1);
  }
}

$m = new mysqli("127.0.0.1", $user, $password, "", (int)$port);
$m->query("CREATE DATABASE php");
$m->select_db("php");
$m->query("CREATE TABLE t (id INT AUTO_INCREMENT PRIMARY KEY, name VARCHAR(40), at DATETIME(6), " .
          "amount DECIMAL(12, 2), data BLOB, ratio DOUBLE)");

// mysqli: COM_STMT_PREPARE/EXECUTE with every kind of bound value.
$insert = $m->prepare("INSERT INTO t (name, at, amount, data, ratio) VALUES (?, ?, ?, ?, ?)");
$name = "héllo 'quoted'"; $at = "2024-02-29 23:59:59.123456"; $amount = "12345.67"; $data = "\x00\x01\xff'\\";
$ratio = 0.25;
$insert->bind_param("ssssd", $name, $at, $amount, $data, $ratio);
$insert->execute();
expect("mysqli insert_id", $insert->insert_id, 1);
$select = $m->prepare("SELECT name, at, amount, data, ratio FROM t WHERE id = ?");
$id = 1;
$select->bind_param("i", $id);
$select->execute();
$row = $select->get_result()->fetch_row();
expect("mysqli row", $row, [$name, $at, $amount, $data, 0.25]);

// MariaDB stores no NaN: refused as out of range, not stored as NULL.
$ratio = NAN;
try {
  $insert->execute();
  expect("NaN insert", "stored", "refused");
} catch (mysqli_sql_exception $e) {
  expect("NaN insert error", $e->getCode(), 1690);
}
expect("rows after NaN", $m->query("SELECT COUNT(*) FROM t")->fetch_row()[0], "1");

// A transaction rolled back leaves nothing; multi_query answers each result.
$m->begin_transaction();
$m->query("INSERT INTO t (name) VALUES ('rolled back')");
$m->rollback();
$m->multi_query("INSERT INTO t (name) VALUES ('multi'); SELECT COUNT(*) FROM t");
$results = [];
do {
  $result = $m->store_result();
  $results[] = $result ? $result->fetch_row()[0] : $m->affected_rows;
} while ($m->more_results() && $m->next_result());
expect("multi_query results", $results, [1, "2"]);

// PDO: emulated prepares (text) and native ones (binary protocol).
$pdo = new PDO("mysql:host=127.0.0.1;port=$port;dbname=php;charset=utf8mb4", $user, $password,
               [PDO::ATTR_ERRMODE => PDO::ERRMODE_EXCEPTION, PDO::ATTR_STRINGIFY_FETCHES => true]);
foreach ([true, false] as $emulated) {
  $pdo->setAttribute(PDO::ATTR_EMULATE_PREPARES, $emulated);
  $label = $emulated ? "emulated" : "native";
  $statement = $pdo->prepare("INSERT INTO t (name, amount, data) VALUES (:name, :amount, :data)");
  $statement->bindValue(":name", "pdo $label");
  $statement->bindValue(":amount", "-0.50");
  $statement->bindValue(":data", "\x00$label", PDO::PARAM_LOB);
  $statement->execute();
  $id = $pdo->lastInsertId();
  $read = $pdo->prepare("SELECT name, amount, data FROM t WHERE id = ?");
  $read->execute([$id]);
  expect("pdo $label row", $read->fetch(PDO::FETCH_NUM), ["pdo $label", "-0.50", "\x00$label"]);
}
$pdo->beginTransaction();
$pdo->exec("UPDATE t SET ratio = 1.5 WHERE name = 'multi'");
$pdo->commit();
try {
  $pdo->exec("INSERT INTO t (name) VALUES (UUID())");
  expect("UUID() refused", "accepted", "refused");
} catch (PDOException $e) {
  expect("refusal code", $e->errorInfo[1], 1105);
}
echo "php: all values equal\n";
