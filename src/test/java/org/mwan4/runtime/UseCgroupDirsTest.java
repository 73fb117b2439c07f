package org.mwan4.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.mwan4.config.Config;
import org.mwan4.config.ConfigLoader;
import org.mwan4.core.Event;

/**
 * {@link UseCgroupDirs} against a directory tree standing in for /sys/fs/cgroup (mkdir/rmdir behave the same there
 * for what this class does; the real cgroup2 mount is exercised by {@code UseE2ETest}).
 */
class UseCgroupDirsTest {
    static final Instant AT = Instant.parse("2026-11-22T04:00:00Z");

    static final String HYBRID = """
            25 30 0:23 / /sys rw,nosuid,nodev,noexec,relatime shared:7 - sysfs sysfs rw
            33 25 0:28 / /sys/fs/cgroup ro,nosuid,nodev,noexec shared:9 - tmpfs tmpfs ro,mode=755
            41 33 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw
            """;

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "openwrt|28 20 0:26 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime - cgroup2 cgroup2 rw,nsdelegate|/sys/fs/cgroup",
            "optional fields before the dash|41 33 0:38 / /sys/fs/cgroup/unified rw shared:9 master:2 - cgroup2 cgroup2 rw|/sys/fs/cgroup/unified",
            "an escaped space|41 33 0:38 / /mnt/my\\040cg rw - cgroup2 none rw|/mnt/my cg",
            "cgroup v1 only|34 33 0:29 / /sys/fs/cgroup/cpu rw - cgroup cgroup rw,cpu|",
            "a file system named like it elsewhere|34 33 0:29 / /cgroup2 rw - tmpfs cgroup2 rw|"})
    void findsTheCgroup2Mount(String name, String line, String expected) {
        assertThat(UseCgroupDirs.cgroup2Mount(line + "\n")).isEqualTo(Optional.ofNullable(expected).map(Path::of));
    }

    @Test
    void findsItAmongOtherMounts() {
        assertThat(UseCgroupDirs.cgroup2Mount(HYBRID)).contains(Path.of("/sys/fs/cgroup/unified"));
    }

    static Config config(String base) throws Exception {
        return ConfigLoader.load("mwan4", "config globals 'globals'\n\toption use_cgroup '" + base + "'\n"
                + "config interface 'wan'\n\toption enabled '1'\n"
                + "config interface 'wanb'\n\toption enabled '1'\n"
                + "config interface 'lte'\n\toption enabled '0'\n", null);
    }

    static UseCgroupDirs dirs(Path tmp, String mountinfo) throws Exception {
        Path info = tmp.resolve("mountinfo");
        Files.writeString(info, mountinfo.replace(" /sys/", " " + tmp + "/sys/"));
        return new UseCgroupDirs(info, tmp.resolve("sys/fs/cgroup"));
    }

    @Test
    void makesOneDirectoryPerEnabledInterfaceAndRemovesWhatItMade(@TempDir Path tmp) throws Exception {
        Path mount = Files.createDirectories(tmp.resolve("sys/fs/cgroup/unified"));
        Files.createDirectories(mount.resolve("outer")); // there before: stays
        UseCgroupDirs dirs = dirs(tmp, HYBRID);
        Event.UseCgroupsPrepared e = dirs.prepare(config("outer/mwan4t"), AT);
        assertThat(e).isEqualTo(new Event.UseCgroupsPrepared(AT, mount.resolve("outer/mwan4t").toString(),
                "unified/outer/mwan4t", 3, List.of("wan", "wanb"), ""));
        assertThat(mount.resolve("outer/mwan4t/wan")).isDirectory();
        assertThat(mount.resolve("outer/mwan4t/lte")).doesNotExist();
        assertThat(dirs.prepare(config("outer/mwan4t"), AT)).as("a reload finds them").isEqualTo(e);
        dirs.close();
        assertThat(mount.resolve("outer/mwan4t")).doesNotExist();
        assertThat(mount.resolve("outer")).isDirectory();
    }

    @Test
    void aDaemonInANamespaceGetsItsOwnLevelAndLeavesOtherNamespacesAlone(@TempDir Path tmp) throws Exception {
        Path mount = Files.createDirectories(tmp.resolve("sys/fs/cgroup/unified"));
        Path info = tmp.resolve("mountinfo");
        Files.writeString(info, HYBRID.replace(" /sys/", " " + tmp + "/sys/"));
        UseCgroupDirs a = new UseCgroupDirs(info, tmp.resolve("sys/fs/cgroup"), "router-a");
        UseCgroupDirs b = new UseCgroupDirs(info, tmp.resolve("sys/fs/cgroup"), "router-b");
        Event.UseCgroupsPrepared e = a.prepare(config("mwan4"), AT);
        assertThat(e).isEqualTo(new Event.UseCgroupsPrepared(AT, mount.resolve("mwan4/router-a").toString(),
                "unified/mwan4/router-a", 3, List.of("wan", "wanb"), ""));
        b.prepare(config("mwan4"), AT);
        a.close();
        assertThat(mount.resolve("mwan4/router-a")).doesNotExist();
        assertThat(mount.resolve("mwan4/router-b/wan")).as("the other daemon's").isDirectory();
        b.close();
        assertThat(mount.resolve("mwan4")).doesNotExist();
    }

    @Test
    void aRestartOwnsWhatItFindsOfItsOwn(@TempDir Path tmp) throws Exception {
        Path mount = Files.createDirectories(tmp.resolve("sys/fs/cgroup/unified"));
        dirs(tmp, HYBRID).prepare(config("mwan4t"), AT); // the first daemon was killed: never closed
        UseCgroupDirs again = dirs(tmp, HYBRID);
        again.prepare(config("mwan4t"), AT);
        again.close();
        assertThat(mount.resolve("mwan4t")).doesNotExist();
        assertThat(mount).isDirectory();
    }

    @Test
    void aBadNamespaceNameIsAProblem(@TempDir Path tmp) throws Exception {
        Path info = tmp.resolve("mountinfo");
        Files.writeString(info, HYBRID.replace(" /sys/", " " + tmp + "/sys/"));
        Event.UseCgroupsPrepared e = new UseCgroupDirs(info, tmp.resolve("sys/fs/cgroup"), "a b").prepare(config("mwan4"), AT);
        assertThat(e.problem()).isEqualTo("the network namespace name 'a b' cannot be a cgroup directory name");
    }

    @Test
    void aDirectoryThatCannotBeRemovedStays(@TempDir Path tmp) throws Exception {
        Files.createDirectories(tmp.resolve("sys/fs/cgroup/unified"));
        UseCgroupDirs dirs = dirs(tmp, HYBRID);
        Event.UseCgroupsPrepared e = dirs.prepare(config("mwan4t"), AT);
        Path busy = Path.of(e.directory(), "wan", "cgroup.procs"); // a plain file blocks rmdir like a process would
        Files.writeString(busy, "");
        dirs.close();
        assertThat(busy.getParent()).isDirectory();
        assertThat(Path.of(e.directory(), "wanb")).doesNotExist();
    }

    @Test
    void noCgroup2IsAProblemNotAFailure(@TempDir Path tmp) throws Exception {
        Event.UseCgroupsPrepared e = dirs(tmp, "25 30 0:23 / /sys rw - sysfs sysfs rw\n").prepare(config("mwan4"), AT);
        assertThat(e.problem()).isEqualTo("cgroup2 is not mounted (no cgroup2 line in " + tmp.resolve("mountinfo") + ")");
        assertThat(e.interfaces()).isEmpty();
    }

    @Test
    void aMountOutsideTheNftRootIsAProblem(@TempDir Path tmp) throws Exception {
        Event.UseCgroupsPrepared e = dirs(tmp, "41 33 0:38 / /mnt/cg rw - cgroup2 cgroup2 rw\n").prepare(config("mwan4"), AT);
        assertThat(e.problem()).isEqualTo("cgroup2 is mounted at /mnt/cg, outside " + tmp.resolve("sys/fs/cgroup")
                + " where nft looks up socket cgroupv2 paths");
    }

    @Test
    void aDirectoryThatCannotBeMadeIsAProblem(@TempDir Path tmp) throws Exception {
        Files.createDirectories(tmp.resolve("sys/fs/cgroup"));
        Files.writeString(tmp.resolve("sys/fs/cgroup/unified"), "not a directory");
        Event.UseCgroupsPrepared e = dirs(tmp, HYBRID).prepare(config("mwan4"), AT);
        assertThat(e.problem()).startsWith("cannot create the cgroup directory " + tmp.resolve("sys/fs/cgroup/unified"));
    }
}
