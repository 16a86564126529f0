// The storage of a request queue: a ring of small mutable entries, reused for the life of the client.
package io.pgmux.server.requests;

import io.netty.buffer.ByteBuf;

/**
 * A first-in first-out ring of entries (kind, action, a message held for the client, an {@link Undo}), kept as
 * parallel arrays so that adding and removing an entry allocates nothing once the ring has grown to the client's
 * deepest pipeline. The arrays are allocated at the first entry: an idle client (most of them, in a storm) keeps none.
 *
 * <p>Positions are counted from the head: 0 is the oldest entry. Not thread-safe; confined to the client's event loop.
 */
final class RequestRing {
    private byte[] kinds = new byte[0];
    private byte[] actions = new byte[0];
    private ByteBuf[] messages = new ByteBuf[0];
    private Undo[] undos = new Undo[0];
    private int head;
    private int size;

    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    void push(byte kind, byte action, ByteBuf message, Undo undo) {
        if (size == kinds.length) {
            grow();
        }
        int i = index(size);
        kinds[i] = kind;
        actions[i] = action;
        messages[i] = message;
        undos[i] = undo;
        size++;
    }

    byte kind(int position) {
        return kinds[index(position)];
    }

    void kind(int position, byte kind) {
        kinds[index(position)] = kind;
    }

    byte headAction() {
        return actions[head];
    }

    /** The message the head entry holds, which the caller now owns; null if none. */
    ByteBuf takeHeadMessage() {
        ByteBuf message = messages[head];
        messages[head] = null;
        return message;
    }

    /**
     * Removes the head entry and releases a message it still holds.
     *
     * @param failed the request had no effect on the backend: its undo runs
     */
    void pop(boolean failed) {
        int i = head;
        Undo undo = undos[i];
        ByteBuf message = messages[i];
        undos[i] = null;
        messages[i] = null;
        head = (head + 1) & (kinds.length - 1);
        size--;
        if (message != null) {
            message.release();
        }
        if (failed && undo != null) {
            undo.undo();
        }
    }

    private int index(int position) {
        return (head + position) & (kinds.length - 1);
    }

    private void grow() {
        int n = kinds.length;
        int capacity = n == 0 ? 16 : n * 2; // a power of two, for the index masks
        byte[] k = new byte[capacity];
        byte[] a = new byte[capacity];
        ByteBuf[] m = new ByteBuf[capacity];
        Undo[] u = new Undo[capacity];
        for (int j = 0; j < size; j++) {
            int from = (head + j) & (n - 1);
            k[j] = kinds[from];
            a[j] = actions[from];
            m[j] = messages[from];
            u[j] = undos[from];
        }
        kinds = k;
        actions = a;
        messages = m;
        undos = u;
        head = 0;
    }
}
