// check.mjs DIR: every statement finq's golden files hold for Athena must
// parse in Trino's grammar. DIR is tests/data/athena/golden: each
// NAME.athena.sql as it is (it reads `costs`), each costs-*.sql relation
// as `WITH <it> SELECT * FROM costs`, and the vocabulary relations after
// the CUR 2.0 costs as the engine sends them. A broken statement must fail
// too, so the check cannot pass on a parser that accepts anything.
// Prints "N passed, N failed"; exits 1 on any failure.
import { TrinoSQL } from 'dt-sql-parser';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const dir = process.argv[2];
const parser = new TrinoSQL();
const read = (name) => readFileSync(join(dir, name), 'utf8').trimEnd();
const statements = [];
for (const name of readdirSync(dir).sort()) {
  if (name.endsWith('.athena.sql')) statements.push([name, read(name)]);
  else if (name.startsWith('costs-') && name.endsWith('.sql'))
    statements.push([name, `WITH ${read(name)}\nSELECT * FROM costs`]);
}
statements.push(['vocabulary.sql', `WITH ${read('costs-cur2.sql')},\n${read('vocabulary.sql')}\nSELECT * FROM vocabulary`]);

let passed = 0, failed = 0;
for (const [name, sql] of statements) {
  const errors = parser.validate(sql);
  if (errors.length === 0) {
    passed++;
  } else {
    failed++;
    for (const e of errors) console.log(`${name}:${e.startLine}:${e.startColumn}: ${e.message}`);
  }
}
// the control: a statement Trino would refuse
const control = parser.validate('SELECT sum(x FROM costs WHERE');
if (control.length === 0) {
  console.log('the parser accepted a broken statement: the check proves nothing');
  failed++;
}
console.log(`trino grammar (dt-sql-parser): ${statements.length} statements`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
