package org.mwan4.plan;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Immutable sorted collections that the plan model keeps as they are instead of copying: a value already
 * frozen is passed through, so a plan built from the parts of the previous one shares them, and
 * {@link Diff} skips a part in O(1) when both sides hold the same instance. Equality and hash codes are the
 * ordinary {@link Set}/{@link Map} ones.
 */
final class Frozen {
    private Frozen() {}

    static <E> SortedSet<E> set(SortedSet<E> s) {
        if (s instanceof FrozenSet<E>) {
            return s;
        }
        return new FrozenSet<>(Collections.unmodifiableSortedSet(new TreeSet<>(s)));
    }

    static <K, V> SortedMap<K, V> map(SortedMap<K, V> m) {
        if (m instanceof FrozenMap<K, V>) {
            return m;
        }
        return new FrozenMap<>(Collections.unmodifiableSortedMap(new TreeMap<>(m)));
    }

    private static final class FrozenSet<E> extends AbstractSet<E> implements SortedSet<E> {
        private final SortedSet<E> view;

        FrozenSet(SortedSet<E> view) {
            this.view = view;
        }

        @Override
        public Iterator<E> iterator() {
            return view.iterator();
        }

        @Override
        public int size() {
            return view.size();
        }

        @Override
        public boolean contains(Object o) {
            return view.contains(o);
        }

        @Override
        public Comparator<? super E> comparator() {
            return view.comparator();
        }

        @Override
        public SortedSet<E> subSet(E from, E to) {
            return view.subSet(from, to);
        }

        @Override
        public SortedSet<E> headSet(E to) {
            return view.headSet(to);
        }

        @Override
        public SortedSet<E> tailSet(E from) {
            return view.tailSet(from);
        }

        @Override
        public E first() {
            return view.first();
        }

        @Override
        public E last() {
            return view.last();
        }
    }

    private static final class FrozenMap<K, V> extends AbstractMap<K, V> implements SortedMap<K, V> {
        private final SortedMap<K, V> view;

        FrozenMap(SortedMap<K, V> view) {
            this.view = view;
        }

        @Override
        public Set<Entry<K, V>> entrySet() {
            return view.entrySet();
        }

        @Override
        public V get(Object key) {
            return view.get(key);
        }

        @Override
        public boolean containsKey(Object key) {
            return view.containsKey(key);
        }

        @Override
        public int size() {
            return view.size();
        }

        @Override
        public Comparator<? super K> comparator() {
            return view.comparator();
        }

        @Override
        public SortedMap<K, V> subMap(K from, K to) {
            return view.subMap(from, to);
        }

        @Override
        public SortedMap<K, V> headMap(K to) {
            return view.headMap(to);
        }

        @Override
        public SortedMap<K, V> tailMap(K from) {
            return view.tailMap(from);
        }

        @Override
        public K firstKey() {
            return view.firstKey();
        }

        @Override
        public K lastKey() {
            return view.lastKey();
        }

        @Override
        public Set<K> keySet() {
            return view.keySet();
        }

        @Override
        public java.util.Collection<V> values() {
            return view.values();
        }
    }
}
