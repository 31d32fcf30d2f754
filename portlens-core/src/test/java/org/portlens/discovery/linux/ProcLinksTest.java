package org.portlens.discovery.linux;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Link targets recorded with {@code readlink /proc/self/fd/N} and {@code readlink /proc/self/ns/*}
 * from a Python process holding a TCP socket, a UDP6 socket, an epoll, a pipe and an eventfd;
 * Debian 12, kernel 6.18.44-fc-v657, x86_64, as root.
 */
class ProcLinksTest {

    @Test
    void readsInodeOfSocketDescriptor() {
        assertThat(ProcLinks.socketInode("socket:[9250]")).isEqualTo(9250L);
        assertThat(ProcLinks.socketInode("socket:[9251]")).isEqualTo(9251L);
    }

    @Test
    void ignoresDescriptorsThatAreNotSockets() {
        assertThat(ProcLinks.socketInode("pipe:[9252]")).isEqualTo(-1L);
        assertThat(ProcLinks.socketInode("anon_inode:[eventpoll]")).isEqualTo(-1L);
        assertThat(ProcLinks.socketInode("anon_inode:[eventfd]")).isEqualTo(-1L);
        assertThat(ProcLinks.socketInode("/dev/null")).isEqualTo(-1L);
        assertThat(ProcLinks.socketInode("/tmp/bash_jobs.0/99f89c21f8f9/stdout"))
                .isEqualTo(-1L);
    }

    @Test
    void ignoresFileNamedLikeASocketAndBrokenNumbers() {
        // a regular file's target is an absolute path, even when its name looks like a socket's target
        assertThat(ProcLinks.socketInode("/tmp/socket:[9250]")).isEqualTo(-1L);
        assertThat(ProcLinks.socketInode("socket:[]")).isEqualTo(-1L);
        assertThat(ProcLinks.socketInode("socket:[92x0]")).isEqualTo(-1L);
        assertThat(ProcLinks.socketInode("socket:[9250")).isEqualTo(-1L);
    }

    @Test
    void readsInodeOfNamespaceLink() {
        assertThat(ProcLinks.namespaceInode("net:[4026531833]")).isEqualTo(4026531833L);
        assertThat(ProcLinks.namespaceInode("user:[4026531837]")).isEqualTo(4026531837L);
    }

    @Test
    void givesZeroForNamespaceLinkWithoutANumber() {
        assertThat(ProcLinks.namespaceInode("")).isZero();
        assertThat(ProcLinks.namespaceInode("net:")).isZero();
        assertThat(ProcLinks.namespaceInode("net:]4026531833[")).isZero();
        assertThat(ProcLinks.namespaceInode("net:[abc]")).isZero();
    }
}
