#!/usr/bin/perl
# Perl's DBI with DBD::MariaDB (Debian's libdbd-mariadb-perl) against ddb's
# MySQL endpoint: placeholders bound by the driver and, on a second handle,
# by the server (mariadb_server_prepare), a rolled-back and a committed
# transaction, last_insert_id, and a refusal's error code. Exits non-zero on
# the first difference. Usage: perl perl_dbd_mariadb.pl PORT USER PASSWORD
use strict;
use warnings;
use utf8;
use DBI;

my ($port, $user, $password) = @ARGV;

sub expect {
  my ($what, $got, $want) = @_;
  $got = 'undef' unless defined $got;
  return if $got eq $want;
  print STDERR "$what: got '$got', want '$want'\n";
  exit 1;
}

sub connect_endpoint {
  my ($options) = @_;
  return DBI->connect("DBI:MariaDB:host=127.0.0.1;port=$port$options", $user, $password,
                      {RaiseError => 1, PrintError => 0, AutoCommit => 1});
}

my $dbh = connect_endpoint("");
$dbh->do("CREATE DATABASE perl");
$dbh->do("USE perl");
$dbh->do("CREATE TABLE t (id INT AUTO_INCREMENT PRIMARY KEY, name VARCHAR(40), at DATETIME(6), "
         . "amount DECIMAL(12, 2), data BLOB)");

# Client-side placeholders (DBD::MariaDB's default): the driver quotes.
my $name = "héllo 'quoted' \\ ✓";
my $data = "\x00\x01\xff'\\\"";
my $insert = $dbh->prepare("INSERT INTO t (name, at, amount, data) VALUES (?, ?, ?, ?)");
$insert->bind_param(1, $name);
$insert->bind_param(2, "2024-02-29 23:59:59.123456");
$insert->bind_param(3, "12345.67");
$insert->bind_param(4, $data, DBI::SQL_BLOB);
$insert->execute();
expect("last_insert_id", $dbh->last_insert_id(undef, undef, "t", "id"), 1);
my ($got_name, $got_at, $got_amount, $got_data) =
    $dbh->selectrow_array("SELECT name, at, amount, data FROM t WHERE id = ?", undef, 1);
expect("name", $got_name, $name);
expect("at", $got_at, "2024-02-29 23:59:59.123456");
expect("amount", $got_amount, "12345.67");
expect("data", unpack("H*", $got_data), unpack("H*", $data));

# A rolled-back transaction leaves nothing; a committed one its row.
$dbh->begin_work;
$dbh->do("INSERT INTO t (name) VALUES ('rolled back')");
$dbh->rollback;
$dbh->begin_work;
$dbh->do("INSERT INTO t (name, amount) VALUES (?, ?)", undef, "committed", "-0.50");
$dbh->commit;
expect("rows after the transactions", $dbh->selectrow_array("SELECT COUNT(*) FROM t"), 2);

# Server-side prepared statements (COM_STMT_PREPARE / EXECUTE).
my $server = connect_endpoint(";database=perl;mariadb_server_prepare=1");
my $prepared = $server->prepare("INSERT INTO t (name, data) VALUES (?, ?)");
$prepared->bind_param(1, "server prepared ✓");
$prepared->bind_param(2, $data, DBI::SQL_BLOB);
$prepared->execute();
my $id = $server->last_insert_id(undef, undef, "t", "id");
my $read = $server->prepare("SELECT name, data FROM t WHERE id = ?");
$read->execute($id);
my ($server_name, $server_data) = $read->fetchrow_array;
expect("server-prepared name", $server_name, "server prepared ✓");
expect("server-prepared data", unpack("H*", $server_data), unpack("H*", $data));

# A statement ddb cannot replicate: refused with its reason, nothing written.
my $refused = eval { $dbh->do("INSERT INTO t (name) VALUES (UUID())"); 1 };
expect("UUID() refused", $refused ? "ran" : "refused", "refused");
expect("refusal's error code", $dbh->err, 1105);
expect("rows at the end", $dbh->selectrow_array("SELECT COUNT(*) FROM t"), 3);
print "perl: all values equal\n";
