package org.mwan4.demo;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/** Everything the daemon reported, in arrival order; positions let the scenario ask "what came after X". */
final class Timeline {
    private final List<DaemonNews> news = new ArrayList<>();

    synchronized void add(DaemonNews n) {
        news.add(n);
    }

    /** The position the next piece of news will get. */
    synchronized int mark() {
        return news.size();
    }

    /** The first piece of news at or after {@code from} of that type matching {@code which}, with its position. */
    synchronized <T extends DaemonNews> Optional<Found<T>> first(int from, Class<T> type, Predicate<T> which) {
        for (int i = from; i < news.size(); i++) {
            if (type.isInstance(news.get(i)) && which.test(type.cast(news.get(i)))) {
                return Optional.of(new Found<>(i, type.cast(news.get(i))));
            }
        }
        return Optional.empty();
    }

    synchronized List<DaemonNews> since(int from) {
        return List.copyOf(news.subList(Math.min(from, news.size()), news.size()));
    }

    record Found<T>(int position, T news) {}
}
