package io.provisioninghub.connectors.smsc.simulator;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What the simulator keeps about submit_sm since start or {@link #clear()}: the last {@link #MAX_RECORDED}
 * of them, and for the accepted ones their time (per wall-clock second, and as {@code System.nanoTime()} for
 * a sliding window). One lock, taken once per submit_sm for a few array writes: cheap at thousands per second.
 * <p>
 * The sliding-window maximum is kept as submits arrive (two pointers over the nanoTime list, which is in
 * order because each time is read under the lock), so {@link #maxInAnySlidingSecond()} costs nothing.
 */
final class SubmitLog {

    /** Recorded submits kept; past it the oldest go (at ~0.5 KB each, about 50 MB at most). */
    static final int MAX_RECORDED = 100_000;
    /** Accepted-submit times kept (8 bytes each); past it the oldest chunk goes. */
    static final int MAX_TIMESTAMPS = 4 << 20;
    private static final int CHUNK = 1 << 16;
    private static final long SECOND_NANOS = 1_000_000_000L;

    private final Object lock = new Object();
    private final ArrayDeque<RecordedSubmit> recorded = new ArrayDeque<>();
    // accepted-submit nanoTimes, in chunks; index i lives in chunks[(i - firstIndex) / CHUNK] (firstIndex % CHUNK == 0)
    private final ArrayList<long[]> chunks = new ArrayList<>();
    private long firstIndex;
    private long count;
    private long windowStart;
    private int maxInWindow;
    private long startSecond;
    private long[] perSecond = new long[64];
    private int lastSecondIndex = -1;
    private long accepted;

    SubmitLog() {
        clear();
    }

    void add(RecordedSubmit submit) {
        synchronized (lock) {
            if (recorded.size() >= MAX_RECORDED) {
                recorded.pollFirst();
            }
            recorded.addLast(submit);
            if (submit.accepted()) {
                // Read under the lock, so the nanoTime list is in order whatever thread records.
                countAccepted(System.currentTimeMillis(), System.nanoTime());
            }
        }
    }

    /** Counts one accepted submit_sm at these times (the caller holds the lock, or is a test). */
    void countAccepted(long epochMillis, long nanoTime) {
        synchronized (lock) {
            accepted++;
            countSecond(epochMillis / 1000);
            addTimestamp(nanoTime);
        }
    }

    List<RecordedSubmit> snapshot() {
        synchronized (lock) {
            return List.copyOf(recorded);
        }
    }

    void clear() {
        synchronized (lock) {
            recorded.clear();
            chunks.clear();
            firstIndex = 0;
            count = 0;
            windowStart = 0;
            maxInWindow = 0;
            startSecond = System.currentTimeMillis() / 1000;
            perSecond = new long[64];
            lastSecondIndex = -1;
            accepted = 0;
        }
    }

    long accepted() {
        synchronized (lock) {
            return accepted;
        }
    }

    /** Accepted submits per wall-clock second, from the second of start/clear up to the current one. */
    long[] submitsPerSecond() {
        synchronized (lock) {
            int current = (int) (System.currentTimeMillis() / 1000 - startSecond);
            int length = Math.max(current, lastSecondIndex) + 1;
            long[] copy = new long[Math.max(length, 0)];
            System.arraycopy(perSecond, 0, copy, 0, Math.min(copy.length, perSecond.length));
            return copy;
        }
    }

    int maxInAnySlidingSecond() {
        synchronized (lock) {
            return maxInWindow;
        }
    }

    /** The kept accepted-submit times ({@code System.nanoTime()}), in order. */
    long[] acceptedNanoTimes() {
        synchronized (lock) {
            long[] all = new long[(int) (count - firstIndex)];
            int at = 0;
            for (long[] chunk : chunks) {
                int n = (int) Math.min(CHUNK, all.length - at);
                System.arraycopy(chunk, 0, all, at, n);
                at += n;
            }
            return all;
        }
    }

    private void countSecond(long second) {
        int index = (int) (second - startSecond);
        if (index < 0) {
            index = 0; // the wall clock stepped back; count it in the first second
        }
        if (index >= perSecond.length) {
            perSecond = Arrays.copyOf(perSecond, Math.max(index + 1, perSecond.length * 2));
        }
        perSecond[index]++;
        lastSecondIndex = Math.max(lastSecondIndex, index);
    }

    private void addTimestamp(long nanos) {
        int offset = (int) ((count - firstIndex) % CHUNK);
        if (offset == 0) {
            if (count - firstIndex >= MAX_TIMESTAMPS) {
                chunks.remove(0);
                firstIndex += CHUNK;
                windowStart = Math.max(windowStart, firstIndex);
            }
            chunks.add(new long[CHUNK]);
        }
        chunks.get(chunks.size() - 1)[offset] = nanos;
        count++;
        // Slide the window's start past every time a full second or more before this one.
        while (nanos - timestamp(windowStart) >= SECOND_NANOS) {
            windowStart++;
        }
        maxInWindow = (int) Math.max(maxInWindow, count - windowStart);
    }

    private long timestamp(long index) {
        long relative = index - firstIndex;
        return chunks.get((int) (relative / CHUNK))[(int) (relative % CHUNK)];
    }
}
