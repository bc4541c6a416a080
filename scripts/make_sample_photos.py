"""Draw the sample site's photos with Pillow, so no picture is downloaded.

Each scene is painted procedurally (gradients, ridges, shapes, grain) and
saved as a JPEG below images/sample/. The output is committed; run this again
only to change the pictures:

    .venv/bin/python scripts/make_sample_photos.py
"""

from __future__ import annotations

import math
import random
from pathlib import Path

from PIL import Image, ImageChops, ImageDraw, ImageFilter

W, H = 2400, 1600
OUT = Path(__file__).resolve().parent.parent / "images" / "sample"
QUALITY = 88


# ---------------------------------------------------------------- helpers

def mix(a, b, t):
    return tuple(int(round(x + (y - x) * t)) for x, y in zip(a, b))


def gradient(size, stops):
    """A vertical gradient through ``stops`` [(0..1, colour), …]."""
    w, h = size
    column = Image.new("RGB", (1, 256))
    px = column.load()
    for i in range(256):
        t = i / 255
        for (t0, c0), (t1, c1) in zip(stops, stops[1:]):
            if t0 <= t <= t1:
                px[0, i] = mix(c0, c1, (t - t0) / max(t1 - t0, 1e-6))
                break
    return column.resize((w, h), Image.BILINEAR)


def ridge(rng, width, base, amplitude, roughness=0.55, points=257):
    """Mountain outline by midpoint displacement: a list of (x, y)."""
    ys = [0.0] * points
    ys[0], ys[-1] = rng.uniform(-1, 1), rng.uniform(-1, 1)
    step, scale = points - 1, 1.0
    while step > 1:
        half = step // 2
        for i in range(half, points - 1, step):
            ys[i] = (ys[i - half] + ys[i + half]) / 2 + rng.uniform(-scale, scale)
        step, scale = half, scale * roughness
    peak = max(abs(y) for y in ys) or 1
    # A few broad summits on top of the fine detail, as limestone hills have.
    phase = [rng.uniform(0, math.tau) for _ in range(3)]
    def hump(t):
        return (0.6 * math.sin(t * 2.3 + phase[0]) + 0.3 * math.sin(t * 5.1 + phase[1])
                + 0.2 * math.sin(t * 9.7 + phase[2]))
    return [(width * i / (points - 1),
             base - amplitude * (0.55 * ys[i] / peak + hump(i / (points - 1) * math.pi)))
            for i in range(points)]


def fill_below(draw, outline, colour, bottom=H):
    draw.polygon(outline + [(W, bottom), (0, bottom)], fill=colour)


def layer():
    return Image.new("RGBA", (W, H), (0, 0, 0, 0))


def paste(base, top, blur=0.0):
    if blur:
        top = top.filter(ImageFilter.GaussianBlur(blur))
    base.alpha_composite(top)


def mountains(img, rng, layers):
    """Ranges from far to near: (base_y, amplitude, colour, blur)."""
    for base, amp, colour, blur in layers:
        lay = layer()
        fill_below(ImageDraw.Draw(lay), ridge(rng, W, base, amp), colour + (255,))
        paste(img, lay, blur)


def speckle(img, rng, box, colours, count, size):
    """Foliage or crowd texture: many small soft dots inside ``box``."""
    lay = layer()
    d = ImageDraw.Draw(lay)
    x0, y0, x1, y1 = box
    for _ in range(count):
        x, y = rng.uniform(x0, x1), rng.uniform(y0, y1)
        r = rng.uniform(size * 0.5, size * 1.5)
        d.ellipse((x - r, y - r * 0.8, x + r, y + r * 0.8), fill=rng.choice(colours) + (rng.randint(140, 255),))
    paste(img, lay, 1.2)


def finish(img, name, grain=7):
    """Soften like a lens, add film grain, save as JPEG."""
    rgb = img.convert("RGB").filter(ImageFilter.GaussianBlur(0.8))
    # Grain drawn at half size and scaled up: believable, and it compresses well.
    noise = Image.effect_noise((W // 2, H // 2), grain).resize((W, H), Image.BILINEAR)
    rgb = ImageChops.overlay(rgb, Image.merge("RGB", (noise, noise, noise)))
    vignette = Image.new("L", (W, H), 0)
    ImageDraw.Draw(vignette).ellipse((-W * 0.25, -H * 0.3, W * 1.25, H * 1.3), fill=255)
    vignette = vignette.filter(ImageFilter.GaussianBlur(260))
    rgb = Image.composite(rgb, Image.blend(rgb, Image.new("RGB", (W, H), (20, 20, 25)), 0.35), vignette)
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"{name}.jpg"
    rgb.save(path, "JPEG", quality=QUALITY, optimize=True, progressive=True)
    print(f"{path.relative_to(OUT.parent.parent)}  {path.stat().st_size // 1024} KB")


def person(d, x, y, s, shirt, skin=(196, 150, 115), hair=(28, 24, 22)):
    """A small standing figure with feet at (x, y), height about 6*s."""
    d.rounded_rectangle((x - s * 0.55, y - s * 4.6, x + s * 0.55, y - s * 2.3), s * 0.3, fill=shirt)
    d.rectangle((x - s * 0.45, y - s * 2.4, x - s * 0.05, y), fill=(40, 42, 52))
    d.rectangle((x + s * 0.05, y - s * 2.4, x + s * 0.45, y), fill=(40, 42, 52))
    d.ellipse((x - s * 0.45, y - s * 5.6, x + s * 0.45, y - s * 4.6), fill=skin)
    d.chord((x - s * 0.47, y - s * 5.7, x + s * 0.47, y - s * 4.9), 180, 360, fill=hair)


# ---------------------------------------------------------------- scenes

def lake(rng):
    img = gradient((W, H), [(0, (150, 184, 214)), (0.45, (214, 226, 230)), (1, (214, 226, 230))]).convert("RGBA")
    horizon = int(H * 0.6)
    mountains(img, rng, [
        (H * 0.42, 170, (150, 172, 182), 6), (H * 0.5, 200, (104, 136, 130), 4),
        (H * 0.56, 190, (62, 98, 78), 2), (H * 0.6, 120, (38, 70, 50), 1)])
    speckle(img, rng, (0, H * 0.5, W, horizon), [(30, 62, 40), (46, 82, 52), (58, 96, 60)], 2500, 9)
    # The water mirrors the land above it, darker and broken by ripples.
    scene = img.crop((0, horizon - (H - horizon), W, horizon)).transpose(Image.FLIP_TOP_BOTTOM)
    water = Image.blend(scene.convert("RGB"), Image.new("RGB", scene.size, (40, 74, 80)), 0.45)
    water = water.filter(ImageFilter.GaussianBlur(3)).convert("RGBA")
    d = ImageDraw.Draw(water)
    for _ in range(900):
        y = rng.uniform(0, H - horizon)
        x = rng.uniform(-100, W)
        length = rng.uniform(40, 260) * (0.4 + y / (H - horizon))
        shade = rng.choice([(200, 214, 216, 70), (20, 40, 45, 60)])
        d.line((x, y, x + length, y), fill=shade, width=max(1, int(1 + y / 250)))
    img.alpha_composite(water, (0, horizon))
    # A dugout boat with a paddler, small in the middle distance.
    lay = layer()
    d = ImageDraw.Draw(lay)
    bx, by = W * 0.62, horizon + 190
    d.polygon([(bx - 150, by), (bx + 160, by - 4), (bx + 120, by + 16), (bx - 120, by + 18)], fill=(46, 32, 24, 255))
    person(d, bx + 20, by + 2, 11, (70, 90, 140))
    d.line((bx + 36, by - 40, bx + 70, by + 30), fill=(60, 44, 30, 255), width=4)
    paste(img, lay, 0.8)
    return img


def terraces(rng):
    img = gradient((W, H), [(0, (168, 196, 222)), (0.35, (226, 230, 222)), (1, (226, 230, 222))]).convert("RGBA")
    mountains(img, rng, [(H * 0.28, 140, (146, 166, 170), 6), (H * 0.36, 160, (96, 126, 104), 3)])
    lay = layer()
    d = ImageDraw.Draw(lay)
    # Terraces: stacked bands following a curved hillside, ripe rice near the top.
    y = H * 0.36
    band = 0
    while y < H + 80:
        height = 28 + (y - H * 0.36) * 0.13
        phase = rng.uniform(0, math.tau)
        curve = [(x, y + 60 * math.sin(x / W * 3.1 + band * 0.23) + 18 * math.sin(x / 170 + phase))
                 for x in range(-20, W + 40, 40)]
        t = min(1.0, (y - H * 0.36) / (H * 0.7))
        field = mix((214, 182, 70), (132, 160, 54), t + rng.uniform(-0.12, 0.12))
        d.polygon(curve + [(W + 20, y + height + 200), (-20, y + height + 200)], fill=field + (255,))
        d.line(curve, fill=mix(field, (70, 60, 30), 0.55) + (255,), width=max(2, int(height / 9)))
        y += height
        band += 1
    paste(img, lay, 1.0)
    speckle(img, rng, (0, H * 0.3, W, H * 0.4), [(50, 84, 50), (70, 100, 56)], 1400, 10)
    # Two stilt houses at the edge of the fields.
    lay = layer()
    d = ImageDraw.Draw(lay)
    for hx, s in ((W * 0.18, 1.0), (W * 0.29, 0.8)):
        hy = H * 0.43
        d.rectangle((hx - 110 * s, hy - 60 * s, hx + 110 * s, hy), fill=(92, 64, 44, 255))
        d.polygon([(hx - 150 * s, hy - 55 * s), (hx, hy - 150 * s), (hx + 150 * s, hy - 55 * s)], fill=(70, 56, 48, 255))
        for px in range(-100, 111, 50):
            d.line((hx + px * s, hy, hx + px * s, hy + 50 * s), fill=(60, 42, 30, 255), width=int(8 * s))
    paste(img, lay, 1.2)
    return img


def hall(rng):
    img = gradient((W, H), [(0, (120, 24, 28)), (0.45, (150, 36, 36)), (0.46, (92, 70, 58)), (1, (70, 52, 44))]).convert("RGBA")
    d = ImageDraw.Draw(img)
    # Banner with lines of lettering (blocks, not words) above the stage.
    d.rectangle((W * 0.12, H * 0.08, W * 0.88, H * 0.26), fill=(176, 30, 32))
    for row, (y, h) in enumerate(((H * 0.11, 40), (H * 0.165, 58), (H * 0.225, 26))):
        x = W * 0.2 + row * 30
        while x < W * 0.8 - row * 30:
            w = rng.uniform(24, 80)
            d.rectangle((x, y, x + w, y + h), fill=(246, 214, 96))
            x += w + rng.choice((14, 14, 40))
    d.ellipse((W * 0.47, H * 0.285, W * 0.53, H * 0.375), fill=(246, 210, 80))
    d.rectangle((0, H * 0.45, W, H * 0.47), fill=(60, 40, 34))
    # Podium and presidium table with flowers.
    d.rectangle((W * 0.2, H * 0.4, W * 0.7, H * 0.47), fill=(230, 226, 214))
    for i in range(8):
        person(d, W * 0.24 + i * W * 0.057, H * 0.45, 18, (236, 236, 232))
    d.rectangle((W * 0.2, H * 0.42, W * 0.7, H * 0.48), fill=(240, 236, 226))
    d.rectangle((W * 0.76, H * 0.36, W * 0.84, H * 0.49), fill=(134, 84, 48))
    for _ in range(60):
        x, y = rng.uniform(W * 0.2, W * 0.7), rng.uniform(H * 0.40, H * 0.42)
        d.ellipse((x - 9, y - 9, x + 9, y + 9), fill=rng.choice([(220, 60, 70), (250, 220, 80), (250, 250, 240)]))
    # Rows of delegates seen from behind, larger towards the camera.
    lay = layer()
    d = ImageDraw.Draw(lay)
    y, s = H * 0.53, 11
    while y < H + 100:
        gap = s * 2.6
        x = rng.uniform(-gap, 0)
        while x < W + gap:
            shirt = rng.choice([(240, 240, 236), (238, 238, 230), (205, 220, 236), (60, 74, 110), (232, 232, 226)])
            d.rounded_rectangle((x - s * 1.1, y - s * 0.6, x + s * 1.1, y + s * 3), s * 0.5, fill=shirt + (255,))
            d.ellipse((x - s * 0.62, y - s * 1.9, x + s * 0.62, y - s * 0.35), fill=(30, 26, 24, 255))
            x += gap * rng.uniform(0.95, 1.08)
        d.rectangle((0, y + s * 1.4, W, y + s * 3.2), fill=(96, 60, 40, 255))
        y += s * 3.1
        s *= 1.22
    paste(img, lay, 0.6)
    return img


def orange_stall(rng):
    img = gradient((W, H), [(0, (190, 176, 150)), (0.5, (120, 106, 90)), (1, (84, 60, 42))]).convert("RGBA")
    # Blurred market behind: awnings and shoppers.
    back = layer()
    d = ImageDraw.Draw(back)
    for i in range(12):
        x = i * W / 10 - 80
        d.polygon([(x, 0), (x + 300, 0), (x + 260, H * 0.22), (x - 40, H * 0.22)],
                  fill=rng.choice([(40, 90, 160), (200, 60, 50), (230, 200, 70), (70, 130, 80)]) + (255,))
    for _ in range(40):
        person(d, rng.uniform(0, W), H * 0.55 + rng.uniform(-20, 20), rng.uniform(40, 55),
               rng.choice([(180, 50, 60), (60, 90, 150), (230, 230, 220), (90, 120, 70), (210, 170, 60)]))
    paste(img, back, 14)
    d = ImageDraw.Draw(img)
    d.polygon([(0, H * 0.6), (W, H * 0.56), (W, H), (0, H)], fill=(112, 78, 48))
    for y in range(int(H * 0.6), H, 46):
        d.line((0, y, W, y - 40), fill=(92, 62, 38), width=5)
    # Baskets heaped with oranges, each fruit shaded from its top-left.
    for cx, cy, rx in ((W * 0.3, H * 0.8, 560), (W * 0.74, H * 0.78, 520)):
        d.ellipse((cx - rx, cy - 70, cx + rx, cy + 220), fill=(150, 116, 62))
        fruit = layer()
        fd = ImageDraw.Draw(fruit)
        placed = []
        for _ in range(650):
            r = rng.uniform(52, 70)
            x = rng.uniform(cx - rx * 0.9, cx + rx * 0.9)
            dome = (1 - ((x - cx) / rx) ** 2) * 330
            y = cy + 40 - dome * rng.random() ** 0.7
            placed.append((y, x, r))
        for y, x, r in sorted(placed):
            base = rng.choice([(236, 138, 24), (244, 160, 36), (214, 150, 40), (170, 160, 50)])
            fd.ellipse((x - r, y - r, x + r, y + r), fill=mix(base, (90, 40, 10), 0.35) + (255,))
            fd.ellipse((x - r * 0.9, y - r * 0.95, x + r * 0.75, y + r * 0.7), fill=base + (255,))
            fd.ellipse((x - r * 0.55, y - r * 0.7, x - r * 0.1, y - r * 0.3), fill=mix(base, (255, 240, 200), 0.5) + (255,))
        paste(img, fruit, 1.0)
        for x in range(int(cx - rx), int(cx + rx), 38):
            d.line((x, cy + 120, x + 20, cy + 210), fill=(120, 88, 44), width=6)
    # Leafy branches left on the fruit, as growers sell them.
    speckle(img, rng, (W * 0.1, H * 0.5, W * 0.9, H * 0.62), [(44, 90, 40), (60, 110, 46)], 220, 18)
    return img


def pitch(rng):
    img = gradient((W, H), [(0, (128, 170, 214)), (0.3, (210, 222, 230)), (1, (210, 222, 230))]).convert("RGBA")
    mountains(img, rng, [(H * 0.22, 110, (134, 158, 164), 5), (H * 0.3, 120, (84, 118, 92), 2)])
    d = ImageDraw.Draw(img)
    # Grandstand with a crowd.
    d.rectangle((0, H * 0.3, W, H * 0.42), fill=(160, 160, 166))
    speckle(img, rng, (0, H * 0.31, W, H * 0.41),
            [(220, 40, 40), (240, 240, 240), (40, 60, 120), (240, 200, 60), (30, 30, 30)], 5000, 6)
    d = ImageDraw.Draw(img)
    d.rectangle((0, H * 0.41, W, H * 0.42), fill=(200, 40, 40))
    # Grass stripes in perspective towards a vanishing point above the frame.
    top, vx = H * 0.42, W / 2
    for i in range(-10, 11):
        x0, x1 = vx + i * 130, vx + (i + 1) * 130
        colour = (62, 132, 58) if i % 2 else (76, 150, 66)
        d.polygon([(x0, top), (x1, top), (vx + (x1 - vx) * 3.4, H), (vx + (x0 - vx) * 3.4, H)], fill=colour)
    white = (244, 244, 240)
    d.line((0, H * 0.47, W, H * 0.47), fill=white, width=6)
    d.ellipse((W * 0.3, H * 0.62, W * 0.7, H * 0.86), outline=white, width=8)
    d.line((W * 0.5, H * 0.47, W * 0.5, H), fill=white, width=7)
    # Goal on the far line.
    d.rectangle((W * 0.7, H * 0.395, W * 0.82, H * 0.47), outline=white, width=6)
    for x in range(int(W * 0.7), int(W * 0.82), 14):
        d.line((x, H * 0.395, x, H * 0.47), fill=(220, 220, 220), width=1)
    lay = layer()
    d = ImageDraw.Draw(lay)
    players = [(rng.uniform(W * 0.1, W * 0.9), rng.uniform(H * 0.5, H * 0.95)) for _ in range(14)]
    for i, (x, y) in enumerate(sorted(players, key=lambda p: p[1])):
        s = 10 + (y - H * 0.5) / 22
        person(d, x, y, s, (210, 30, 40) if i % 2 else (250, 210, 40))
    d.ellipse((W * 0.55 - 14, H * 0.7 - 14, W * 0.55 + 14, H * 0.7 + 14), fill=(250, 250, 250, 255))
    paste(img, lay, 0.7)
    return img


def mountain_road(rng):
    img = gradient((W, H), [(0, (150, 166, 180)), (0.4, (218, 220, 216)), (1, (218, 220, 216))]).convert("RGBA")
    mountains(img, rng, [(H * 0.3, 150, (150, 164, 168), 6), (H * 0.4, 220, (96, 124, 100), 3),
                         (H * 0.55, 200, (62, 96, 62), 1)])
    speckle(img, rng, (0, H * 0.38, W, H * 0.7), [(48, 86, 46), (66, 104, 52), (36, 70, 40)], 4000, 12)
    lay = layer()
    d = ImageDraw.Draw(lay)
    # A landslide scar: bare red earth spilling down the slope onto the road.
    d.polygon([(W * 0.58, H * 0.44), (W * 0.66, H * 0.45), (W * 0.75, H * 0.72), (W * 0.52, H * 0.74)], fill=(168, 110, 70, 255))
    for _ in range(120):
        x, y = rng.uniform(W * 0.55, W * 0.74), rng.uniform(H * 0.5, H * 0.76)
        r = rng.uniform(6, 26)
        d.ellipse((x - r, y - r, x + r, y + r), fill=rng.choice([(140, 92, 60), (190, 130, 84), (110, 100, 92)]) + (255,))
    paste(img, lay, 1.2)
    # The road curves from the bottom left up into the hills.
    lay = layer()
    d = ImageDraw.Draw(lay)
    centre = [(W * (0.35 + 0.22 * math.sin(t * 2.4)) + t * W * 0.12, H - t * H * 0.42) for t in [i / 60 for i in range(61)]]
    left = [(x - (1 - (H - y) / (H * 0.42)) * 420 - 20, y) for x, y in centre]
    right = [(x + (1 - (H - y) / (H * 0.42)) * 420 + 20, y) for x, y in centre]
    d.polygon(left + right[::-1], fill=(92, 92, 96, 255))
    d.line(left, fill=(232, 232, 226, 255), width=8)
    d.line(right, fill=(232, 232, 226, 255), width=8)
    for i in range(0, 58, 4):
        d.line(centre[i:i + 2], fill=(236, 200, 60, 255), width=max(3, int(14 * (1 - i / 60))))
    paste(img, lay, 0.8)
    speckle(img, rng, (0, H * 0.8, W * 0.25, H), [(56, 96, 44), (80, 120, 56)], 300, 30)
    return img


def noodle_racks(rng):
    img = gradient((W, H), [(0, (176, 200, 224)), (0.4, (232, 232, 224)), (1, (232, 232, 224))]).convert("RGBA")
    mountains(img, rng, [(H * 0.3, 130, (140, 160, 160), 5), (H * 0.38, 120, (90, 122, 94), 2)])
    d = ImageDraw.Draw(img)
    d.rectangle((0, H * 0.4, W, H), fill=(150, 140, 112))
    speckle(img, rng, (0, H * 0.38, W, H * 0.46), [(70, 110, 60), (92, 126, 70)], 1500, 10)
    # Rows of bamboo racks with sheets of glassy dong noodles hung to dry.
    for row, (y, s) in enumerate(((H * 0.48, 0.55), (H * 0.6, 0.8), (H * 0.76, 1.15))):
        lay = layer()
        ld = ImageDraw.Draw(lay)
        length = 380 * s
        ld.line((-50, y, W + 50, y - 30 * s), fill=(150, 120, 70, 255), width=int(12 * s))
        for x in range(-40, W + 40, int(30 * s)):
            yy = y - 30 * s * x / W
            shade = rng.randint(222, 246)
            colour = (shade, shade - 6, shade - 18, 235)
            wave = rng.uniform(-6, 6) * s
            ld.line((x, yy, x + wave, yy + length * rng.uniform(0.85, 1.0)), fill=colour, width=max(3, int(14 * s)))
        for x in range(0, W, int(420 * s)):
            ld.line((x, y - 30 * s * x / W - 20, x, y + length + 60 * s), fill=(120, 92, 52, 255), width=int(14 * s))
        paste(img, lay, 0.6 + row * 0.2)
    lay = layer()
    person(ImageDraw.Draw(lay), W * 0.8, H * 0.98, 38, (60, 110, 170))
    paste(img, lay, 1.0)
    return img


def boat_race(rng):
    img = gradient((W, H), [(0, (140, 176, 210)), (0.3, (210, 222, 228)), (1, (210, 222, 228))]).convert("RGBA")
    horizon = int(H * 0.36)
    mountains(img, rng, [(H * 0.24, 140, (130, 156, 160), 5), (H * 0.32, 150, (70, 104, 80), 2),
                         (H * 0.36, 60, (40, 72, 50), 1)])
    water = gradient((W, H - horizon), [(0, (70, 110, 108)), (1, (38, 78, 84))]).convert("RGBA")
    d = ImageDraw.Draw(water)
    for _ in range(1600):
        y = rng.uniform(0, H - horizon)
        x = rng.uniform(-100, W)
        length = rng.uniform(30, 200) * (0.3 + y / (H - horizon))
        d.line((x, y, x + length, y), fill=rng.choice([(170, 196, 196, 80), (20, 50, 56, 70)]), width=max(1, int(y / 200)))
    img.alpha_composite(water, (0, horizon))
    # Long boats with rows of paddlers in team colours, nearer ones larger.
    for i, (by, s, team) in enumerate(((H * 0.5, 0.55, (220, 40, 40)), (H * 0.62, 0.75, (250, 200, 40)),
                                       (H * 0.8, 1.05, (40, 90, 200)))):
        lay = layer()
        ld = ImageDraw.Draw(lay)
        bx = W * (0.2 + 0.12 * i) + rng.uniform(-60, 60)
        length = 1300 * s
        ld.polygon([(bx, by), (bx + length, by - 10 * s), (bx + length - 60 * s, by + 40 * s), (bx + 40 * s, by + 42 * s)],
                   fill=(70, 46, 30, 255))
        for k in range(14):
            px = bx + 90 * s + k * (length - 180 * s) / 13
            person(ld, px, by + 8 * s, 12 * s, team)
            ld.line((px - 10 * s, by - 30 * s, px - 50 * s, by + 70 * s), fill=(110, 80, 50, 255), width=max(2, int(5 * s)))
        ld.ellipse((bx - 40 * s, by + 30 * s, bx + length + 40 * s, by + 80 * s), outline=(230, 240, 240, 120), width=int(6 * s))
        paste(img, lay, 0.8)
    return img


SCENES = {
    "ho-ba-be": lake,
    "ruong-bac-thang": terraces,
    "hoi-truong": hall,
    "sap-cam": orange_stall,
    "san-bong": pitch,
    "duong-deo": mountain_road,
    "phoi-mien": noodle_racks,
    "dua-thuyen": boat_race,
}


def main() -> None:
    for i, (name, scene) in enumerate(SCENES.items()):
        finish(scene(random.Random(2026 + i)), name)


if __name__ == "__main__":
    main()
