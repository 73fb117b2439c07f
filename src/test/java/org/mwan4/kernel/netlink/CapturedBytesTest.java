package org.mwan4.kernel.netlink;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/** Decodes netlink bytes recorded from this kernel (no root needed). */
class CapturedBytesTest {
    static final List<String> KINDS = CapturedDumps.KINDS;

    @ParameterizedTest(name = "{0}")
    @FieldSource("KINDS")
    void recordedBytesDecodeToWhatTheNamespaceHeld(String kind) throws Exception {
        Map<String, Integer> links = CapturedDumps.links(CapturedDumps.decode(CapturedDumps.load("link-dump")));
        CapturedDumps.check(kind, CapturedDumps.decode(CapturedDumps.load(kind)), links);
    }
}
