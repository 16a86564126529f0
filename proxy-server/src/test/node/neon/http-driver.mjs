// Runs the unmodified @neondatabase/serverless neon() function against pgmux's HTTP query endpoint.
// Environment: PGMUX_HTTP (host:port of http_listen), DATABASE_URL (a postgresql:// URL for pgmux).
import { neon, neonConfig } from '@neondatabase/serverless';
import assert from 'node:assert/strict';

neonConfig.fetchEndpoint = `http://${process.env.PGMUX_HTTP}/sql`;

const sql = neon(process.env.DATABASE_URL, { disableWarningInBrowsers: true });
const table = `neon_http_${process.pid}`;

const rows = await sql`SELECT ${41}::int + 1 AS n, ${'hé ✓'}::text AS t, ${null}::text AS missing, now() AS at`;
assert.equal(rows.length, 1);
assert.equal(rows[0].n, 42);
assert.equal(rows[0].t, 'hé ✓');
assert.equal(rows[0].missing, null);
assert.ok(rows[0].at instanceof Date);

const full = await sql.query('SELECT generate_series(1, $1::int) AS i', [3], { fullResults: true, arrayMode: true });
assert.equal(full.command, 'SELECT');
assert.equal(full.rowCount, 3);
assert.deepEqual(full.rows, [[1], [2], [3]]);
assert.deepEqual(full.fields.map(f => f.name), ['i']);

await assert.rejects(sql`SELECT 1/0`, e => e.code === '22012' && /division by zero/.test(e.message));
await assert.rejects(sql.query('SELEC 1'), e => e.code === '42601' && e.position === '1');

await sql.query(`CREATE TABLE ${table} (id int PRIMARY KEY, note text)`);
try {
    const [inserted, counted] = await sql.transaction([
        sql`INSERT INTO ${sql.unsafe(table)} VALUES (${1}, ${'one'}), (${2}, ${null}) RETURNING id`,
        sql`SELECT count(*)::int AS c FROM ${sql.unsafe(table)}`,
    ], { isolationLevel: 'Serializable' });
    assert.deepEqual(inserted.map(r => r.id), [1, 2]);
    assert.equal(counted[0].c, 2);

    await assert.rejects(sql.transaction([
        sql`INSERT INTO ${sql.unsafe(table)} VALUES (${3}, ${'three'})`,
        sql`INSERT INTO ${sql.unsafe(table)} VALUES (${1}, ${'duplicate'})`,
    ]), e => e.code === '23505');
    await assert.rejects(sql.transaction(tx => [
        tx`INSERT INTO ${sql.unsafe(table)} VALUES (${4}, ${'four'})`,
    ], { readOnly: true }), e => e.code === '25006');

    const after = await sql`SELECT id, note FROM ${sql.unsafe(table)} ORDER BY id`;
    assert.deepEqual(after, [{ id: 1, note: 'one' }, { id: 2, note: null }]);
} finally {
    await sql.query(`DROP TABLE IF EXISTS ${table}`);
}
console.log('http driver: ok');
