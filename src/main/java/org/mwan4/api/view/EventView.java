package org.mwan4.api.view;

import java.util.List;

/**
 * The {@code data:} of one Server-Sent Event of {@code GET /v1/events}; the SSE {@code event:} name is
 * {@link #name()}. A client that fell behind gets {@link Lagged} and then the current status.
 */
public sealed interface EventView {
    String name();

    /** {@code event: status}: the status changed; interfaces and strategies as GET /v1/status has them. */
    record Status(long seq, String at, String now, List<InterfaceView> interfaces, List<StrategyView> strategies)
            implements EventView {
        public Status {
            interfaces = List.copyOf(interfaces);
            strategies = List.copyOf(strategies);
        }

        @Override
        public String name() {
            return "status";
        }
    }

    /** {@code event: transaction}: one kernel step applied. */
    record Transaction(long seq, String at, List<String> ops, double tookMs) implements EventView {
        public Transaction {
            ops = List.copyOf(ops);
        }

        @Override
        public String name() {
            return "transaction";
        }
    }

    /** {@code event: transaction_failed}. */
    record TransactionFailed(long seq, String at, String message) implements EventView {
        @Override
        public String name() {
            return "transaction_failed";
        }
    }

    /** {@code event: log}. */
    record Log(long seq, String at, String level, String message) implements EventView {
        @Override
        public String name() {
            return "log";
        }
    }

    /** {@code event: lagged}: this client read too slowly and {@code dropped} events were skipped. */
    record Lagged(long dropped) implements EventView {
        @Override
        public String name() {
            return "lagged";
        }
    }
}
