/// Network I/O models: the same question as the disk engines, for sockets.
public enum UringNet {}
