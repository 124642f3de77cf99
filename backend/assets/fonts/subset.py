# Run from this folder with wqy-microhei.ttc beside it (see README.md).
# Subset WenQuanYi Micro Hei to the GBK repertoire plus Latin.
from fontTools.ttLib import TTCollection
from fontTools import subset
chars = set(range(0x20, 0x7f)) | set(range(0xa0, 0x250))
for b1 in range(0x81, 0xff):
    for b2 in range(0x40, 0xff):
        try:
            chars.add(ord(bytes([b1, b2]).decode("gbk")))
        except UnicodeDecodeError:
            pass
font = TTCollection("wqy-microhei.ttc").fonts[0]
opts = subset.Options()
opts.layout_features = []
opts.name_IDs = ["*"]
opts.name_languages = ["*"]
opts.notdef_outline = True
opts.hinting = False
s = subset.Subsetter(opts)
s.populate(unicodes=chars)
s.subset(font)
font.save("wqy-microhei-gbk.ttf")
