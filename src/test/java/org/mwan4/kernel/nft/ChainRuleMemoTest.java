package org.mwan4.kernel.nft;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ChainRuleMemoTest {
    static final List<String> TEXTS = List.of(
            "meta mark & 0x00003f00 == 0x00000000 numgen random mod 4 0-2 meta mark set meta mark & 0xffffc1ff | 0x00000100 comment \"wan 3 4\"",
            "meta mark & 0x00003f00 == 0x00000000 meta mark set meta mark & 0xffffc2ff | 0x00000200 comment \"wanb 1 4\"",
            "meta mark & 0x00003f00 == 0x00000000 counter meta mark set meta mark | 0x00000100",
            "not nft at all");

    @Test
    void answersAsParseDoesAndParsesARepeatedTextOnce() {
        ChainRuleMemo memo = new ChainRuleMemo(8);
        for (String t : TEXTS) {
            assertThat(memo.parse(t)).as(t).isEqualTo(ChainRule.parse(t));
        }
        assertThat(memo.parse(TEXTS.getFirst())).isPresent();
        assertThat(memo.parse(TEXTS.get(2))).as("outside the vocabulary").isEmpty();
        Optional<ChainRule> first = memo.parse(TEXTS.getFirst());
        assertThat(memo.parse(TEXTS.getFirst())).as("kept, not parsed again").isSameAs(first);
    }

    @Test
    void keepsOnlyTheMostRecentlyUsedTexts() {
        ChainRuleMemo memo = new ChainRuleMemo(2);
        Optional<ChainRule> a = memo.parse(TEXTS.get(0));
        memo.parse(TEXTS.get(1));
        memo.parse(TEXTS.get(0)); // a is now the most recent
        memo.parse(TEXTS.get(3)); // evicts TEXTS[1]
        assertThat(memo.size()).isEqualTo(2);
        assertThat(memo.parse(TEXTS.get(0))).isSameAs(a);
    }
}
