# Stand-in for xCAT::Utils (perl-xCAT): the image lock genimage takes, per host. Like xCAT's, it is an flock
# on a file in /var/lock/xcat, so it goes away with the process that held it.
package xCAT::Utils;
use strict;
use warnings;
use Fcntl qw(:flock);

my %held;

sub _lock { my $dir = $_[1]; (my $m = $dir) =~ s{/}{_}g; return "/var/lock/xcat/$m.lock"; }

sub acquire_lock_imageop {
    my $lock = _lock(@_);
    system('mkdir', '-p', '/var/lock/xcat');
    open(my $fh, '>>', $lock) or return 0;
    flock($fh, LOCK_EX | LOCK_NB) or return 0;
    $held{$lock} = $fh;
    return 1;
}

sub release_lock_imageop {
    my $lock = _lock(@_);
    close(delete $held{$lock}) if $held{$lock};
    return 1;
}

1;
