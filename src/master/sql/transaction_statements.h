// What the statements that open, end and shape transactions ask for, read
// off their tokens.
#pragma once

#include <vector>

#include "ddb/sql/sql_lexer.h"

namespace ddb {

// BEGIN, BEGIN WORK or START TRANSACTION, without characteristics.
bool IsPlainBegin(const std::vector<Token>& tokens);

// COMMIT AND CHAIN, ROLLBACK WORK AND CHAIN (not AND NO CHAIN): the next
// transaction opens at once.
bool ChainsTransaction(const std::vector<Token>& tokens);

// COMMIT RELEASE, ROLLBACK WORK AND NO CHAIN RELEASE (not NO RELEASE): the
// client's connection ends once the transaction has.
bool ReleasesSession(const std::vector<Token>& tokens);

// A SET that names autocommit.
bool MentionsAutocommit(const std::vector<Token>& tokens);

// A SET that may name the session's timestamp (or calls TIMESTAMP()).
bool MentionsTimestamp(const std::vector<Token>& tokens);

}  // namespace ddb
