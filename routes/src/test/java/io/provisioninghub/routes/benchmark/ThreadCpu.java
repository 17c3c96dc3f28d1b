package io.provisioninghub.routes.benchmark;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * CPU time of every live Java thread of this JVM, to split a phase's CPU between the hub's request threads,
 * the in-process stand-ins (billing simulator, brokers) and the rest. Threads are grouped by name with digits
 * replaced by N ({@code http-nio-auto-2-exec-17} → {@code http-nio-auto-N-exec-N}). What no Java thread
 * accounts for (garbage collection, JIT compilation) is the JVM total minus their sum.
 */
record ThreadCpu(Map<Long, String> names, Map<Long, Long> cpuNanos, Map<String, Long> vmThreads) {

    /** USER_HZ: /proc counts in ticks of 1/100 s on Linux. */
    private static final long NANOS_PER_TICK = 10_000_000L;

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    static ThreadCpu now() {
        Map<Long, String> names = new HashMap<>();
        Map<Long, Long> cpu = new HashMap<>();
        long[] ids = THREADS.getAllThreadIds();
        ThreadInfo[] infos = THREADS.getThreadInfo(ids);
        for (int i = 0; i < ids.length; i++) {
            if (infos[i] == null) {
                continue;
            }
            long t = THREADS.getThreadCpuTime(ids[i]);
            if (t >= 0) {
                names.put(ids[i], infos[i].getThreadName());
                cpu.put(ids[i], t);
            }
        }
        return new ThreadCpu(names, cpu, readVmThreads());
    }

    /**
     * The JVM's own threads, invisible to ThreadMXBean: JIT compilers, garbage collector, VM thread, from
     * Linux {@code /proc/self/task/<tid>/stat}; empty elsewhere.
     */
    private static Map<String, Long> readVmThreads() {
        Map<String, Long> groups = new HashMap<>();
        java.io.File[] tasks = new java.io.File("/proc/self/task").listFiles();
        if (tasks == null) {
            return groups;
        }
        for (java.io.File task : tasks) {
            try {
                String stat = java.nio.file.Files.readString(task.toPath().resolve("stat"));
                int open = stat.indexOf('(');
                int close = stat.lastIndexOf(')');
                String comm = stat.substring(open + 1, close);
                String group = vmGroup(comm);
                if (group == null) {
                    continue;
                }
                String[] f = stat.substring(close + 2).split(" ");
                // after "pid (comm) ": state(0) ... utime(11) stime(12)
                long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
                groups.merge(group, ticks * NANOS_PER_TICK, Long::sum);
            } catch (java.io.IOException | RuntimeException e) {
                // the thread ended meanwhile
            }
        }
        return groups;
    }

    private static String vmGroup(String comm) {
        if (comm.startsWith("C1 Compiler") || comm.startsWith("C2 Compiler")) {
            return "JVM: JIT compiler threads";
        }
        if (comm.startsWith("GC Thread") || comm.startsWith("G1 ")) {
            return "JVM: garbage collector threads";
        }
        if (comm.equals("VM Thread")) {
            return "JVM: VM thread (safepoints)";
        }
        return null;
    }

    /**
     * CPU nanoseconds per thread group between {@code before} and this sample, for threads alive at both
     * (short-lived threads, such as the load generator's, are measured by themselves).
     */
    Map<String, Long> since(ThreadCpu before) {
        Map<String, Long> groups = new TreeMap<>();
        cpuNanos.forEach((id, now) -> {
            Long then = before.cpuNanos.get(id);
            if (then != null && now > then) {
                groups.merge(group(names.get(id)), now - then, Long::sum);
            }
        });
        vmThreads.forEach((group, now) -> {
            long then = before.vmThreads.getOrDefault(group, 0L);
            if (now > then) {
                groups.merge(group, now - then, Long::sum);
            }
        });
        return groups;
    }

    static String group(String threadName) {
        String g = threadName.replaceAll("[0-9]+", "N");
        if (g.contains("-exec-N")) {
            return g.startsWith("https") ? "Tomcat HTTPS request threads" : "Tomcat HTTP request threads";
        }
        if (g.startsWith("billing-sim-")) {
            return "billing simulator (stand-in)";
        }
        return g;
    }
}
