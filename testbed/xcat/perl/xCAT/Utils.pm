# Stand-in for xCAT::Utils (perl-xCAT): the image lock genimage takes, per host, in /var/lock/xcat.
package xCAT::Utils;
use strict;
use warnings;

sub _lock { my $dir = $_[1]; (my $m = $dir) =~ s{/}{_}g; return "/var/lock/xcat/$m.lock"; }

sub acquire_lock_imageop {
    my $lock = _lock(@_);
    system('mkdir', '-p', '/var/lock/xcat');
    return mkdir $lock;
}

sub release_lock_imageop {
    rmdir _lock(@_);
    return 1;
}

1;
