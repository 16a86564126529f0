// Runs the unmodified @neondatabase/serverless Pool and Client against pgmux's websocket_listen.
// Environment: PGMUX_WEBSOCKET (host:port of websocket_listen), DATABASE_URL (a postgresql:// URL for pgmux).
import { Client, Pool, neonConfig } from '@neondatabase/serverless';
import ws from 'ws';
import assert from 'node:assert/strict';

neonConfig.webSocketConstructor = ws;
neonConfig.useSecureWebSocket = false;
// Pipelining the password assumes cleartext authentication, which pgmux only asks for with auth_type password.
neonConfig.pipelineConnect = false;
neonConfig.wsProxy = (host, port) => `${process.env.PGMUX_WEBSOCKET}/v2?address=${host}:${port}`;

const url = process.env.DATABASE_URL;
const table = `neon_ws_${process.pid}`;
const pool = new Pool({ connectionString: url, max: 3 });
try {
    const one = await pool.query('SELECT $1::int + 1 AS n, $2::text AS t, $3::text AS missing', [41, 'hé ✓', null]);
    assert.deepEqual(one.rows, [{ n: 42, t: 'hé ✓', missing: null }]);
    assert.deepEqual(one.fields.map(f => f.name), ['n', 't', 'missing']);

    const many = await Promise.all([...Array(20).keys()].map(i => pool.query('SELECT $1::int * 2 AS v', [i])));
    assert.deepEqual(many.map(r => r.rows[0].v), [...Array(20).keys()].map(i => i * 2));

    await assert.rejects(pool.query('SELECT 1/0'), e => e.code === '22012' && /division by zero/.test(e.message));
    await assert.rejects(pool.query('SELEC 1'), e => e.code === '42601' && e.position === '1');

    const client = new Client(url);
    await client.connect();
    try {
        await client.query(`CREATE TABLE ${table} (id int PRIMARY KEY, note text)`);
        await client.query('BEGIN');
        await client.query(`INSERT INTO ${table} VALUES ($1, $2), ($3, $4)`, [1, 'kept?', 2, null]);
        const inside = await client.query(`SELECT count(*)::int AS c FROM ${table}`);
        assert.equal(inside.rows[0].c, 2);
        await client.query('ROLLBACK');
        const rolledBack = await client.query(`SELECT count(*)::int AS c FROM ${table}`);
        assert.equal(rolledBack.rows[0].c, 0);

        await client.query('BEGIN');
        await client.query(`INSERT INTO ${table} VALUES ($1, $2)`, [3, null]);
        await assert.rejects(client.query(`INSERT INTO ${table} VALUES (3, 'twice')`), e => e.code === '23505');
        await assert.rejects(client.query('SELECT 1'), e => e.code === '25P02');
        await client.query('ROLLBACK');

        await client.query('BEGIN');
        await client.query(`INSERT INTO ${table} VALUES ($1, $2)`, [4, null]);
        await client.query('COMMIT');
        const committed = await pool.query(`SELECT id, note FROM ${table}`);
        assert.deepEqual(committed.rows, [{ id: 4, note: null }]);
    } finally {
        await client.query(`DROP TABLE IF EXISTS ${table}`);
        await client.end();
    }
    console.log('websocket driver: ok');
} finally {
    await pool.end();
}
