package org.mwan4.kernel.nft;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.mwan4.plan.NftScript;

/** Error outputs below are verbatim from nft 1.0.6 (libnftables through a memfd, and nft -f -). */
class NftErrorsTest {

    private static final NftScript SCRIPT = Scripts.create()
            .op("add set mwan4_connected_ipv4", "add set inet fw4 mwan4_connected_ipv4 { type ipv4_addr; flags interval; }")
            .op("add chain mwan4_x", "add chain inet fw4 mwan4_x")
            .op("replace chain mwan4_strategy_balanced_ipv4",
                    "flush chain inet fw4 mwan4_strategy_balanced_ipv4",
                    "add rule inet fw4 mwan4_strategy_balanced_ipv4 counter",
                    "add rule inet fw4 mwan4_strategy_balanced_ipv4 jump mwan4_missing")
            .op("add elements mwan4_connected_ipv4", "add element inet fw4 mwan4_connected_ipv4 { 192.0.2.0/33 }")
            .build();

    static Stream<Arguments> errors() {
        return Stream.of(
                Arguments.of("kernel ENOENT on a rule of a multi-line op",
                        """
                        /proc/self/fd/52:5:32-44: Error: Could not process rule: No such file or directory
                        add rule inet fw4 mwan4_strategy_balanced_ipv4 jump mwan4_missing
                                                       ^^^^^^^^^^^^^
                        """,
                        2, "nft rejected op 3 of 4 (replace chain mwan4_strategy_balanced_ipv4): "
                                + "Could not process rule: No such file or directory [line 5:32: add rule inet fw4 "
                                + "mwan4_strategy_balanced_ipv4 jump mwan4_missing]"),
                Arguments.of("evaluation error through nft -f -",
                        """
                        /dev/stdin:6:45-56: Error: Prefix length 33 is invalid for type of 32 bits width
                        add element inet fw4 mwan4_connected_ipv4 { 192.0.2.0/33 }
                                                                    ^^^^^^^^^^^^
                        """,
                        3, "nft rejected op 4 of 4 (add elements mwan4_connected_ipv4): Prefix length 33 is invalid"
                                + " for type of 32 bits width [line 6:45: add element inet fw4 mwan4_connected_ipv4 { 192.0.2.0/33 }]"),
                Arguments.of("two errors: the first names the op, the second is listed",
                        """
                        /dev/stdin:2:19-26: Error: Could not process rule: File exists
                        add chain inet fw4 mwan4_x
                                           ^^^^^^^
                        /dev/stdin:5:32-44: Error: Could not process rule: No such file or directory
                        add rule inet fw4 mwan4_strategy_balanced_ipv4 jump mwan4_missing
                                                       ^^^^^^^^^^^^^
                        """,
                        1, "nft rejected op 2 of 4 (add chain mwan4_x): Could not process rule: File exists"
                                + " [line 2:19: add chain inet fw4 mwan4_x]; 1 more error(s): op 3: Could not process rule:"
                                + " No such file or directory"),
                Arguments.of("no location",
                        "Error: Could not process rule: Operation not permitted\n",
                        -1, "nft rejected the transaction of 4 ops: Could not process rule: Operation not permitted"),
                Arguments.of("a line beyond the script",
                        "/dev/stdin:9:1-3: Error: syntax error, unexpected end of file\n",
                        -1, "nft rejected the transaction of 4 ops: syntax error, unexpected end of file [line 9:1]"),
                Arguments.of("warnings are not errors; garbage is kept verbatim",
                        "something odd\n",
                        -1, "nft rejected the transaction of 4 ops: something odd"),
                Arguments.of("empty error buffer", "", -1, "nft rejected the transaction of 4 ops: no error text (rc 1)"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("errors")
    void namesTheFailingOp(String name, String errorText, int op, String message) {
        NftException e = NftErrors.rejected(SCRIPT, errorText, 1);
        assertThat(e.op()).isEqualTo(op);
        assertThat(e.getMessage()).isEqualTo(message);
    }

    @Test
    void parsesLocationMessageAndSource() {
        var errors = NftErrors.parse("""
                /dev/stdin:3:19-31: Error: Could not process rule: No such file or directory
                add rule inet fw4 mwan4_nochain counter
                                  ^^^^^^^^^^^^^
                """);
        assertThat(errors).containsExactly(new NftErrors.NftError(3, 19,
                "Could not process rule: No such file or directory", "add rule inet fw4 mwan4_nochain counter"));
    }

    @Test
    void listingFailureSaysWhichCommand() {
        NftException e = NftErrors.listFailed("list table inet fw4", "Error: No such file or directory\nlist table inet fw4\n"
                + "              ^^^\n", 1);
        assertThat(e.getMessage()).isEqualTo("nft list table inet fw4 failed: No such file or directory");
        assertThat(NftErrors.isNotFound(e)).isTrue();
    }
}
