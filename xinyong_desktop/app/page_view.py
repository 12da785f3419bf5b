"""Page viewer: one rendered page with the evidence boxes of its fields; zoom, fit width, rotate."""
from __future__ import annotations

from PySide6.QtCore import QRectF, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QImage, QPainter, QPen, QPixmap
from PySide6.QtWidgets import QGraphicsRectItem, QGraphicsScene, QGraphicsView


class PageView(QGraphicsView):
    boxClicked = Signal(str)  # field key of a clicked evidence box

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setScene(QGraphicsScene(self))
        self.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        self._scale = 1.0
        self._boxes: dict[str, QGraphicsRectItem] = {}

    def show_page(self, rgb, px_per_pt: float, boxes: dict[str, tuple[float, float, float, float]]) -> None:
        scene = self.scene()
        scene.clear()
        self._boxes = {}
        h, w = rgb.shape[:2]
        img = QImage(rgb.data, w, h, 3 * w, QImage.Format.Format_RGB888).copy()
        scene.addPixmap(QPixmap.fromImage(img))
        for key, (x0, y0, x1, y1) in boxes.items():
            r = QGraphicsRectItem(QRectF(x0 * px_per_pt - 2, y0 * px_per_pt - 2, (x1 - x0) * px_per_pt + 4,
                                         (y1 - y0) * px_per_pt + 4))
            r.setPen(QPen(QColor(30, 110, 230), 2))
            r.setBrush(QBrush(QColor(30, 110, 230, 40)))
            r.setData(0, key)
            scene.addItem(r)
            self._boxes[key] = r
        scene.setSceneRect(QRectF(0, 0, w, h))
        self.fit_width()

    def highlight(self, key: str) -> None:
        for k, r in self._boxes.items():
            on = k == key
            r.setPen(QPen(QColor(230, 60, 30) if on else QColor(30, 110, 230), 3 if on else 2))
            if on:
                self.centerOn(r)

    def fit_width(self) -> None:
        rect = self.scene().sceneRect()
        if rect.width() > 0:
            self.resetTransform()
            s = (self.viewport().width() - 4) / rect.width()
            self.scale(s, s)
            self._scale = s

    def fit_page(self) -> None:
        rect = self.scene().sceneRect()
        if rect.width() > 0:
            self.resetTransform()
            self.fitInView(rect, Qt.AspectRatioMode.KeepAspectRatio)

    def zoom(self, factor: float) -> None:
        self.scale(factor, factor)

    def rotate_page(self) -> None:
        self.rotate(90)

    def mousePressEvent(self, event) -> None:
        item = self.itemAt(event.position().toPoint())
        if isinstance(item, QGraphicsRectItem) and item.data(0):
            self.boxClicked.emit(item.data(0))
        super().mousePressEvent(event)

    def keyPressEvent(self, event) -> None:
        if event.key() == Qt.Key.Key_Plus:
            self.zoom(1.25)
        elif event.key() == Qt.Key.Key_Minus:
            self.zoom(0.8)
        else:
            super().keyPressEvent(event)
